/**
 * What a sync will do, decided from the request, the index and what is on disk, with no I/O: the
 * same plan answers a dry run and drives a real one, so both report the same outcomes.
 */
import type { ProfileRef, SyncResult } from '@kubectl-seccomp/proto';
import type { Index, IndexEntry, Origin } from './index-file.js';

export type DiskState =
  | { kind: 'missing' }
  | { kind: 'file'; sha256: string }
  /** A symlink, a directory, a non-directory on the way, or unreadable: never written through. */
  | { kind: 'unusable'; reason: string };

export interface PlanRequest {
  /** Files to put in place, with the sha256 of their content. */
  files: readonly ProfileRef[];
  unchanged: readonly ProfileRef[];
  prune: boolean;
  /** Overwrite and adopt files on disk that the index does not list. */
  force?: boolean;
}

export type Step = { kind: 'write'; path: string; sha256: string } | { kind: 'delete'; path: string };

export interface Plan {
  /** Sorted by path. */
  results: SyncResult[];
  /** Sorted by path. */
  steps: Step[];
  /** The index once every step has succeeded. */
  index: Map<string, IndexEntry>;
}

/**
 * Managed files a prune in this request may delete. A ConfigMap-driven sync prunes only what came
 * from ConfigMaps, so profiles pushed directly (--agent) survive the reconciler; a direct sync with
 * prune may remove any managed file.
 */
export function pruneCandidates(index: Index, req: PlanRequest, origin: Origin): string[] {
  if (!req.prune) return [];
  const named = new Set([...req.files, ...req.unchanged].map((f) => f.path));
  return [...index.entries()].filter(([path, entry]) => !named.has(path) && (origin === 'direct' || entry.origin === 'configmap')).map(([path]) => path);
}

/** A ConfigMap sync claims what it names; a direct write keeps a ConfigMap claim it finds. */
const originAfter = (existing: IndexEntry | undefined, origin: Origin): Origin => (origin === 'configmap' ? 'configmap' : (existing?.origin ?? 'direct'));

export function planSync(req: PlanRequest, index: Index, disk: ReadonlyMap<string, DiskState>, origin: Origin): Plan {
  const results: SyncResult[] = [];
  const steps: Step[] = [];
  const next = new Map(index);
  const stateOf = (path: string): DiskState => disk.get(path) ?? { kind: 'missing' };
  const diskSha = (state: DiskState): string => (state.kind === 'file' ? state.sha256 : '');
  const error = (path: string, state: DiskState, message: string): void => {
    results.push({ path, outcome: 'error', sha256: diskSha(state), error: message });
  };

  for (const { path, sha256 } of req.files) {
    const state = stateOf(path);
    const existing = index.get(path);
    if (state.kind === 'unusable') {
      error(path, state, state.reason);
      continue;
    }
    // Someone else's file: taking it would let a later prune delete it.
    const foreign = state.kind === 'file' && existing === undefined;
    if (foreign && !req.force) {
      error(path, state, 'exists and was not written by kubectl-seccomp; not overwritten (push --force adopts it)');
      continue;
    }
    next.set(path, { sha256, origin: originAfter(existing, origin) });
    if (foreign) {
      if (state.sha256 !== sha256) steps.push({ kind: 'write', path, sha256 });
      results.push({ path, outcome: 'adopted', sha256, error: '' });
    } else if (state.kind === 'file' && state.sha256 === sha256) {
      results.push({ path, outcome: 'unchanged', sha256, error: '' });
    } else {
      steps.push({ kind: 'write', path, sha256 });
      results.push({ path, outcome: state.kind === 'missing' ? 'created' : 'updated', sha256, error: '' });
    }
  }

  for (const { path, sha256 } of req.unchanged) {
    const state = stateOf(path);
    if (state.kind === 'unusable') error(path, state, state.reason);
    else if (state.kind === 'missing') error(path, state, 'missing on the node; push again');
    else if (state.sha256 !== sha256) error(path, state, 'changed since listed; push again');
    else {
      const existing = index.get(path);
      // Content a client merely saw is not adopted: only files we wrote become ours.
      if (existing !== undefined) next.set(path, { sha256, origin: originAfter(existing, origin) });
      results.push({ path, outcome: 'unchanged', sha256, error: '' });
    }
  }

  for (const path of pruneCandidates(index, req, origin)) {
    const entry = index.get(path) as IndexEntry;
    const state = stateOf(path);
    if (state.kind === 'missing') {
      next.delete(path);
    } else if (state.kind === 'unusable') {
      error(path, state, `${state.reason}; not deleted`);
    } else if (state.sha256 === entry.sha256 || state.sha256 === entry.previous) {
      next.delete(path);
      steps.push({ kind: 'delete', path });
      results.push({ path, outcome: 'deleted', sha256: '', error: '' });
    } else {
      // Someone edited our file by hand: their edit wins, and the file stops being ours.
      next.delete(path);
      error(path, state, 'modified outside kubectl-seccomp; not deleted, no longer managed');
    }
  }

  const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return { results: results.sort(byPath), steps: steps.sort(byPath), index: next };
}
