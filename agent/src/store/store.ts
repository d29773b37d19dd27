import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { AgentError, type ProfileInfo, type SyncProfilesRequest, type SyncResult } from '@kubectl-seccomp/proto';
import { silentLogger, type Logger } from '../log.js';
import { readIndex, writeIndex, serializeIndex, type Index, type IndexEntry, type IndexLoad, type Origin } from './index-file.js';
import { listTree, type KnownFile } from './list.js';
import { planSync, pruneCandidates, type DiskState, type Step } from './plan.js';
import { Dir, describeFsError as failure, withDir, withParent } from './safe-fs.js';
import { StampCache } from './stamp-cache.js';
import { DEFAULT_LIMITS, profileProblem, validateRequest, type Limits } from './validate.js';

export interface StoreOptions {
  /** Absolute profile dir as the agent sees it (e.g. /host/var/lib/kubelet/seccomp); created if missing. */
  root: string;
  /** Default 256 KiB. */
  maxProfileBytes?: number;
  /** Default 1.5 MiB (sum of file contents): 16 concurrent pushes must fit the pod (docs/performance.md). */
  maxRequestBytes?: number;
  /** Default 1000 entries (files + unchanged) per request. */
  maxFiles?: number;
  /** Files may be written only under this dir of the root (e.g. "kubectl-seccomp"); "" or absent: anywhere. */
  writePrefix?: string;
  log?: Logger;
}

export interface SyncOptions {
  /** Who is asking; decides what `prune` may remove (see pruneCandidates). Default 'direct'. */
  origin?: Origin;
}

/** Entry of the listing with what only the agent needs: which sync wrote the file. */
export interface StoredProfile extends ProfileInfo {
  /** '' when the file is not managed. */
  origin: Origin | '';
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * The profiles on this node, written only through safe paths and atomic renames (see safe-fs.ts),
 * with an index of the files it manages so prune never deletes anyone else's file.
 *
 * One operation runs at a time: concurrent calls wait in a queue (FIFO) rather than being refused,
 * because the reconciler and clients sync independently and neither should see spurious failures.
 * Linux only: descriptor-relative paths go through /proc/self/fd.
 */
export class ProfileStore {
  readonly root: string;
  readonly limits: Readonly<Limits>;
  private readonly log: Logger;
  /** The only dir files may be written under; "" = anywhere. */
  readonly writePrefix: string;
  private queue: Promise<unknown> = Promise.resolve();
  private started = false;
  /** Digests (and check results) of files unchanged since read: a push that changes nothing reads no file. */
  private readonly known = new StampCache<KnownFile>();
  private readonly indexCache = new StampCache<IndexLoad>();

  constructor(opts: StoreOptions) {
    this.root = opts.root;
    this.limits = {
      maxProfileBytes: opts.maxProfileBytes ?? DEFAULT_LIMITS.maxProfileBytes,
      maxRequestBytes: opts.maxRequestBytes ?? DEFAULT_LIMITS.maxRequestBytes,
      maxFiles: opts.maxFiles ?? DEFAULT_LIMITS.maxFiles,
    };
    this.log = (opts.log ?? silentLogger).child({ module: 'store', root: opts.root });
    this.writePrefix = (opts.writePrefix ?? '').replace(/\/+$/, '');
  }

  /**
   * Creates the root and removes stale temp files now rather than at first use, so that an unusable
   * root shows at startup. Rejects with AgentError 'failed-precondition'.
   */
  init(): Promise<void> {
    return this.exclusive(async () => undefined);
  }

  /** Every *.json under the root (hidden names and symlinked dirs skipped), sorted by path. */
  async list(): Promise<ProfileInfo[]> {
    return (await this.inventory()).map(({ origin: _origin, ...info }) => info);
  }

  /** list() plus the origin of each managed file: what the reconciler diffs against. */
  inventory(): Promise<StoredProfile[]> {
    return this.exclusive(async (root) => {
      const { index } = await this.loadIndex(root);
      const files = await listTree(root, { maxBytes: this.limits.maxProfileBytes, check: profileProblem, known: this.known });
      return files.map((f) => {
        const entry = index.get(f.path);
        return { ...f, managed: entry !== undefined, origin: entry?.origin ?? '' };
      });
    });
  }

  /**
   * Applies a request: refused whole (AgentError 'invalid-argument') when any entry is bad, else one
   * result per file, sorted by path. Files that cannot be written safely (symlinks, non-directories
   * on the way, I/O errors) get an 'error' outcome; the others still go through.
   *
   * - files: written unless the same bytes are there ('unchanged'); a written file becomes managed.
   * - unchanged: checked against the disk ('error' "changed since listed; push again" if not).
   *   A file the client only names is not adopted into the index.
   * - prune: deletes managed files named nowhere in the request (with origin 'configmap', only
   *   those that came from ConfigMaps). A managed file edited by hand is reported as an error and
   *   released from the index, never deleted.
   * - dryRun: the same results, nothing touched (the root itself is created at first use, by any call).
   */
  async sync(req: SyncProfilesRequest, opts: SyncOptions = {}): Promise<SyncResult[]> {
    const outside = this.writePrefix ? req.files.find((f) => !f.path.startsWith(`${this.writePrefix}/`)) : undefined;
    if (outside) {
      throw new AgentError(
        'invalid-argument',
        `${JSON.stringify(outside.path.slice(0, 200))}: outside ${this.writePrefix}/, the only dir this agent writes to (agent flag --write-prefix)`,
      );
    }
    try {
      validateRequest(req, this.limits);
    } catch (err) {
      if (err instanceof AgentError) throw err;
      throw new AgentError('internal', `validating profiles: ${String(err)}`, { cause: err });
    }
    const origin = opts.origin ?? 'direct';
    const content = new Map(req.files.map((f) => [f.path, f.content]));
    const planReq = {
      files: req.files.map((f) => ({ path: f.path, sha256: sha256(f.content) })),
      unchanged: req.unchanged,
      prune: req.prune,
      force: req.force === true,
    };
    return this.exclusive(async (root) => {
      const { index } = await this.loadIndex(root);
      const paths = [...planReq.files, ...planReq.unchanged].map((f) => f.path);
      paths.push(...pruneCandidates(index, planReq, origin));
      const disk = await probeAll(root, paths, this.known);
      const plan = planSync(planReq, index, disk, origin);
      if (req.dryRun || (plan.steps.length === 0 && serializeIndex(plan.index) === serializeIndex(index))) {
        return plan.results;
      }
      if (plan.steps.length > 0) await writeIndex(root, intentIndex(index, plan.index, plan.steps, disk));
      const failed = new Map<string, string>();
      for (const step of plan.steps) {
        this.known.delete(step.path);
        try {
          await apply(root, step, content);
        } catch (err) {
          failed.set(step.path, failure(err));
        }
      }
      const finalIndex = new Map(plan.index);
      for (const path of failed.keys()) {
        const before = index.get(path);
        if (before === undefined) finalIndex.delete(path);
        else finalIndex.set(path, before);
      }
      await writeIndex(root, finalIndex);
      const results = plan.results.map((r): SyncResult => {
        const why = failed.get(r.path);
        if (why === undefined) return r;
        const state = disk.get(r.path);
        return { path: r.path, outcome: 'error', sha256: state?.kind === 'file' ? state.sha256 : '', error: why };
      });
      this.log.info({ outcomes: countOutcomes(results), origin, prune: req.prune }, 'profiles synced');
      return results;
    });
  }

  /** Runs `fn` after every earlier operation, with the root open and stale temp files removed. */
  private exclusive<T>(fn: (root: Dir) => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      let root: Dir;
      try {
        root = await this.openRoot();
      } catch (err) {
        throw new AgentError('failed-precondition', `profile dir ${this.root}: ${failure(err)}`, { cause: err });
      }
      try {
        return await fn(root);
      } finally {
        await root.close();
      }
    });
    this.queue = run.catch(() => undefined);
    return run.catch((err: unknown) => {
      if (err instanceof AgentError) throw err;
      throw new AgentError('internal', `profile store ${this.root}: ${failure(err)}`, { cause: err });
    });
  }

  private async openRoot(): Promise<Dir> {
    if (!this.started) {
      // EEXIST: something that is not a directory holds the name; opening it says what.
      await mkdir(this.root, { recursive: true, mode: 0o755 }).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
    }
    const root = await Dir.openRoot(this.root);
    if (!this.started) {
      try {
        const removed = await root.removeStaleTemps();
        if (removed.length > 0) this.log.warn({ removed }, 'removed temp files left by an interrupted write');
      } catch (err) {
        await root.close();
        throw err;
      }
      this.started = true;
    }
    return root;
  }

  private async loadIndex(root: Dir): Promise<{ index: Index }> {
    const { index, problems } = await readIndex(root, this.indexCache);
    if (problems.length > 0) this.log.warn({ problems }, 'profile index partly ignored; those files are left alone');
    return { index };
  }
}

/** What is at each path, each directory on the way opened once (every path of a push shares one). */
async function probeAll(root: Dir, paths: readonly string[], known: StampCache<KnownFile>): Promise<Map<string, DiskState>> {
  const byDir = new Map<string, string[]>();
  for (const path of paths) {
    const dir = path.slice(0, Math.max(0, path.lastIndexOf('/')));
    byDir.set(dir, [...(byDir.get(dir) ?? []), path]);
  }
  const disk = new Map<string, DiskState>();
  for (const [dir, group] of byDir) {
    try {
      await withDir(root, dir === '' ? [] : dir.split('/'), false, async (parent) => {
        for (const path of group) disk.set(path, await probe(parent, path, known));
      });
    } catch (err) {
      for (const path of group) disk.set(path, { kind: 'unusable', reason: failure(err) });
    }
  }
  return disk;
}

/** One file in its (open) directory; undefined dir: a directory on the way does not exist. */
async function probe(dir: Dir | undefined, path: string, known: StampCache<KnownFile>): Promise<DiskState> {
  if (dir === undefined) return { kind: 'missing' };
  const name = path.slice(path.lastIndexOf('/') + 1);
  try {
    const file = await known.read(dir, name, path, 0, (read) => ({ sha256: read.sha256, size: read.size }));
    return file === undefined ? { kind: 'missing' } : { kind: 'file', sha256: file.sha256 };
  } catch (err) {
    return { kind: 'unusable', reason: failure(err) };
  }
}

async function apply(root: Dir, step: Step, content: ReadonlyMap<string, Uint8Array>): Promise<void> {
  const segments = step.path.split('/');
  const name = segments[segments.length - 1] as string;
  await withParent(root, segments, step.kind === 'write', async (dir) => {
    if (step.kind === 'write') await (dir as Dir).writeAtomic(name, content.get(step.path) as Uint8Array);
    else if (dir !== undefined) await dir.removeFile(name);
  });
}

/**
 * The index written before any file is touched: files about to be replaced are recorded with both
 * their old and new sha256, so a crash mid-sync leaves every file of ours recognisable.
 */
function intentIndex(
  before: Index,
  after: ReadonlyMap<string, IndexEntry>,
  steps: readonly Step[],
  disk: ReadonlyMap<string, DiskState>,
): Map<string, IndexEntry> {
  const intent = new Map(before);
  for (const step of steps) {
    const target = after.get(step.path);
    if (step.kind !== 'write' || target === undefined) continue;
    const old = disk.get(step.path);
    const previous = before.has(step.path) && old?.kind === 'file' ? old.sha256 : undefined;
    intent.set(step.path, { ...target, ...(previous !== undefined ? { previous } : {}) });
  }
  return intent;
}

function countOutcomes(results: readonly SyncResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
  return counts;
}
