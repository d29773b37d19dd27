/** From the profile ConfigMaps and what the store holds to the one sync that converges the node. */
import { createHash } from 'node:crypto';
import { flatten, parseProfile, serializeProfile, type FlattenTarget } from '@kubectl-seccomp/profiles';
import type { ProfileFile, ProfileRef, SyncProfilesRequest, SyncResult } from '@kubectl-seccomp/proto';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { pathProblem, profileProblem, type StoredProfile } from '../store/index.js';
import { ANNOTATION_PATH, DATA_KEY, LABEL_MANAGED_BY, LABEL_PROFILE, MANAGED_BY } from '@kubectl-seccomp/proto';

export interface SkippedConfigMap {
  /** namespace/name */
  configMap: string;
  reason: string;
}

export interface ReconcilePlan {
  /** To be applied with origin 'configmap': prune then touches only files that came from ConfigMaps. */
  request: SyncProfilesRequest;
  /** ConfigMaps that cannot be applied: logged, and their file (if any) is left as it is. */
  skipped: SkippedConfigMap[];
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const isProfileConfigMap = (cm: V1ConfigMap): boolean => cm.metadata?.labels?.[LABEL_MANAGED_BY] === MANAGED_BY && cm.metadata.labels[LABEL_PROFILE] === 'true';

/**
 * The node's bytes for one ConfigMap's profile, or why there are none. The path is returned even
 * when the profile is bad, so that its file can be kept rather than pruned.
 */
function render(cm: V1ConfigMap, target: FlattenTarget, maxBytes: number, writePrefix: string): { path?: string; content?: Uint8Array; reason?: string } {
  const path = cm.metadata?.annotations?.[ANNOTATION_PATH];
  if (path === undefined) return { reason: `no ${ANNOTATION_PATH} annotation` };
  const problem = pathProblem(path);
  if (problem !== undefined) return { reason: `${ANNOTATION_PATH} ${JSON.stringify(path)}: ${problem}` };
  if (writePrefix && !path.startsWith(`${writePrefix}/`))
    return { reason: `${ANNOTATION_PATH} ${JSON.stringify(path)}: outside ${writePrefix}/, the only dir this agent writes to` };
  const text = cm.data?.[DATA_KEY];
  if (text === undefined) return { path, reason: `no data key ${DATA_KEY}` };
  const parsed = parseProfile(text, DATA_KEY);
  if (!parsed.ok) return { path, reason: `${DATA_KEY}: ${profileProblem(text, DATA_KEY)}` };
  let content: Buffer;
  try {
    content = Buffer.from(serializeProfile(flatten(parsed.profile, target)));
  } catch (err) {
    return { path, reason: `cannot flatten for this node: ${(err as Error).message}` };
  }
  if (content.length > maxBytes) return { path, reason: `${content.length} bytes after flattening; at most ${maxBytes} allowed` };
  return { path, content };
}

/** One ConfigMap that breaks a parser is that ConfigMap's problem, never the whole node's. */
function renderGuarded(cm: V1ConfigMap, target: FlattenTarget, maxBytes: number, writePrefix: string): ReturnType<typeof render> {
  try {
    return render(cm, target, maxBytes, writePrefix);
  } catch (err) {
    return { path: cm.metadata?.annotations?.[ANNOTATION_PATH], reason: `cannot be read: ${(err as Error).message}` };
  }
}

/**
 * Files whose bytes differ (or that are missing, or not ours yet) are sent; managed files that match
 * are only named, so the sync moves no bytes when nothing changed. ConfigMaps are taken in name
 * order, so when two claim one path the same one wins on every node.
 */
export function planReconcile(
  configMaps: readonly V1ConfigMap[],
  current: readonly StoredProfile[],
  target: FlattenTarget,
  maxProfileBytes: number,
  /** The store's --write-prefix: a ConfigMap naming a path outside it is skipped, not sent to be refused. */
  writePrefix = '',
): ReconcilePlan {
  const onDisk = new Map(current.map((p) => [p.path, p]));
  const files: ProfileFile[] = [];
  const unchanged: ProfileRef[] = [];
  const skipped: SkippedConfigMap[] = [];
  const owner = new Map<string, string>();
  const id = (cm: V1ConfigMap): string => `${cm.metadata?.namespace ?? ''}/${cm.metadata?.name ?? ''}`;
  const sorted = configMaps.filter(isProfileConfigMap).sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));

  for (const cm of sorted) {
    const { path, content, reason } = renderGuarded(cm, target, maxProfileBytes, writePrefix);
    if (path !== undefined && owner.has(path)) {
      skipped.push({ configMap: id(cm), reason: `path ${path} is already taken by ConfigMap ${owner.get(path)}` });
      continue;
    }
    if (path !== undefined) owner.set(path, id(cm));
    const file = path !== undefined ? onDisk.get(path) : undefined;
    if (content === undefined || path === undefined) {
      skipped.push({ configMap: id(cm), reason: reason ?? 'unusable' });
      // Keep what is there: a ConfigMap someone broke must not delete a working profile.
      if (file?.origin === 'configmap' && file.sha256 !== '') unchanged.push({ path: file.path, sha256: file.sha256 });
      continue;
    }
    const sha = sha256(content);
    if (file?.managed && file.sha256 === sha) unchanged.push({ path, sha256: sha });
    else files.push({ path, content });
  }
  return { request: { files, unchanged, prune: true, dryRun: false }, skipped };
}

/**
 * Why a reconcile left recorded profiles off the disk: ConfigMaps it skipped, writes that failed,
 * files that do not read back with the planned bytes. Empty means complete: what the readiness
 * gate waits for. Files only pruned do not count: they are not recorded profiles.
 */
export function reconcileProblems(plan: ReconcilePlan, results: readonly SyncResult[], after: readonly StoredProfile[]): string[] {
  const problems = plan.skipped.map((s) => `${s.configMap}: ${s.reason}`);
  const errors = new Map(results.filter((r) => r.outcome === 'error').map((r) => [r.path, r.error]));
  const onDisk = new Map(after.map((p) => [p.path, p]));
  const expected = [...plan.request.files.map((f) => ({ path: f.path, sha256: sha256(f.content) })), ...plan.request.unchanged];
  for (const want of expected) {
    const error = errors.get(want.path);
    const got = onDisk.get(want.path);
    if (error !== undefined) problems.push(`${want.path}: ${error}`);
    else if (got === undefined) problems.push(`${want.path}: missing after writing`);
    else if (got.error || got.sha256 !== want.sha256) problems.push(`${want.path}: does not read back as written${got.error ? ` (${got.error})` : ''}`);
  }
  return problems;
}
