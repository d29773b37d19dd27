import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubernetesObjectApi, type KubeConfig, type KubernetesObject, type V1Pod } from '@kubernetes/client-node';
import { loadCatalog, type SeccompProfile } from '@kubectl-seccomp/profiles';
import { UserError } from '../../errors.js';
import { applyConfig, jsonPatchWorkload, readObject } from '../../kube/workloads.js';
import type { RecordContainer, RecordOutput } from '../../output/types.js';
import type { TargetSet } from '../../targets/types.js';
import { runBind } from '../bind/run.js';
import {
  bindContainersConfig,
  containerNames,
  ownedConfig,
  parseWorkloadRef,
  podTemplate,
  putBackProfiles,
  workloadName,
  type WorkloadRef,
} from '../bind/workload.js';
import type { FanOutOptions } from '../fanout.js';
import { FIELD_MANAGER } from '../install/apply.js';
import { loadLocalProfiles, type LocalProfile } from '../push/local-profiles.js';
import { pushExitCode, runPush } from '../push/run.js';
import { fileNamePart, writeSuggestion } from '../suggest/write.js';
import { buildFilter, buildRequest } from '../watch/filter.js';
import { runWatch } from '../watch/run.js';
import { WatchSession } from '../watch/session.js';
import type { WatchUpdate } from '../watch/types.js';
import { countEvents, mergeByContainer, RecordTally } from './merge.js';
import { intermediateKind, workloadPods } from './owners.js';
import { workloadRollout } from './rollout.js';

/** The catalog profile recorded against when no --base is given. */
export const DEFAULT_BASE = 'runtime-default';
const PREFIX = 'kubectl-seccomp';

/** Progress lines (stderr in the command): the ui layer decides how they look. */
export interface RecordReporter {
  progress(line: string): void;
}

export interface RecordOptions extends FanOutOptions {
  namespace: string;
  agentNamespace: string;
  /** --base FILE; undefined: the catalog's runtime-default. */
  base?: string;
  /** Where WORKLOAD_CONTAINER.json go. */
  outDir: string;
  durationMs?: number;
  /** --until-idle: stop once no new syscall was logged for this long. */
  idleMs?: number;
  apply: boolean;
  rolloutTimeoutMs: number;
  reporter: RecordReporter;
}

async function loadBaseProfile(file: string | undefined): Promise<{ name: string; profile: SeccompProfile }> {
  if (file !== undefined) {
    const [p] = await loadLocalProfiles([file], PREFIX);
    return { name: file, profile: p!.profile };
  }
  const entry = (await loadCatalog()).find((e) => e.name === DEFAULT_BASE)!;
  return { name: `catalog:${entry.name}`, profile: entry.profile };
}

/** The workload's pods by owner references, remembered across the recording (replaced pods too). */
class PodOwnership {
  readonly ours = new Set<string>();
  readonly #known = new Set<string>();
  #pending: Promise<void> | undefined;

  constructor(
    private readonly kc: KubeConfig,
    private readonly workload: KubernetesObject,
    private readonly namespace: string,
    private readonly localhostProfile: string | undefined,
  ) {}

  /** Asks again when a pod not yet looked up made a violation. */
  notice(pods: readonly string[]): void {
    if (pods.some((p) => !this.#known.has(p))) void this.refresh().catch(() => undefined);
  }

  refresh(): Promise<void> {
    this.#pending ??= this.#list().finally(() => (this.#pending = undefined));
    return this.#pending;
  }

  async #list(): Promise<void> {
    const api = KubernetesObjectApi.makeApiClient(this.kc);
    const via = intermediateKind(this.workload.kind ?? '');
    const [pods, middle] = await Promise.all([
      api.list<V1Pod>('v1', 'Pod', this.namespace),
      via ? api.list(via.apiVersion, via.kind, this.namespace) : Promise.resolve({ items: [] }),
    ]);
    for (const p of pods.items) this.#known.add(p.metadata?.name ?? '');
    for (const name of workloadPods(this.workload, middle.items, pods.items, this.localhostProfile)) this.ours.add(name);
  }
}

/** Resolves once every node's stream has started or failed: the trial must not begin unwatched. */
async function streamsOpen(session: WatchSession, signal: AbortSignal): Promise<void> {
  while (!signal.aborted && !session.board.list().every((n) => n.streamed || n.state.phase === 'failed')) {
    await sleep(50, undefined, { signal }).catch(() => undefined);
  }
}

async function waitRollout(kc: KubeConfig, ref: WorkloadRef, namespace: string, opts: RecordOptions, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + opts.rolloutTimeoutMs;
  let last = '';
  for (;;) {
    const obj = await readObject(kc, { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace } });
    const r = workloadRollout(obj);
    if (r.complete || signal.aborted) return;
    const line = `waiting for the rollout of ${namespace}/${workloadName(ref)}: ${r.updated}/${r.desired} updated, ${r.ready} ready`;
    if (line !== last) opts.reporter.progress((last = line));
    if (Date.now() > deadline)
      throw new UserError(`the rollout of ${workloadName(ref)} did not complete in time (${r.updated}/${r.desired} updated, ${r.ready} ready)`, 1);
    await sleep(500, undefined, { signal }).catch(() => undefined);
  }
}

/** Resolves at --duration, once --until-idle passed without a new syscall, or at Ctrl-C. */
function recordingEnds(opts: RecordOptions, lastNewAt: () => number, signal: AbortSignal): Promise<RecordOutput['stopped']> {
  return new Promise((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    const done = (why: RecordOutput['stopped']): void => {
      for (const t of timers) clearTimeout(t);
      signal.removeEventListener('abort', onAbort);
      resolve(why);
    };
    const onAbort = (): void => done('interrupted');
    if (signal.aborted) return done('interrupted');
    signal.addEventListener('abort', onAbort, { once: true });
    if (opts.durationMs !== undefined) timers.push(setTimeout(() => done('duration'), opts.durationMs));
    if (opts.idleMs !== undefined) {
      const idle = opts.idleMs;
      const check = (): void => {
        const quietFor = Date.now() - lastNewAt();
        if (quietFor >= idle) done('idle');
        else timers.push(setTimeout(check, idle - quietFor));
      };
      timers.push(setTimeout(check, idle));
    }
  });
}

/**
 * `record WORKLOAD`: pushes the base in audit mode, binds it (server-side apply as kubectl-seccomp),
 * waits for the rollout, watches the namespace and keeps what the workload's pods did, writes one
 * profile per container (the base's allow list plus what was logged), then restores the workload's
 * fields exactly as they were, or with --apply pushes and binds the new profiles. Ctrl-C restores.
 */
export async function runRecord(kc: KubeConfig, set: TargetSet, workload: string, opts: RecordOptions, signal: AbortSignal): Promise<RecordOutput> {
  const ref = parseWorkloadRef(workload, { pods: true });
  const { namespace } = opts;
  const original = await readObject(kc, { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace } });
  const names = containerNames(podTemplate(ref, original));
  const base = await loadBaseProfile(opts.base);
  if (!(await stat(opts.outDir).catch(() => undefined))?.isDirectory()) throw new UserError(`--out ${opts.outDir}: not a directory`);
  const isPod = ref.kind === 'Pod';
  const auditPath = isPod ? '' : `${PREFIX}/record-${fileNamePart(namespace)}-${fileNamePart(ref.name)}.json`;
  // What our field manager had set before (an earlier bind): the restore applies exactly that again.
  const restoreConfig = ownedConfig(ref, original, FIELD_MANAGER);

  const tally = new RecordTally();
  const ownership = new PodOwnership(kc, original, namespace, isPod ? undefined : auditPath);
  const seen = new Map<string, Set<string>>();
  let lastNewAt = Date.now();
  const session = new WatchSession({ nodes: [...set.targets.map((t) => t.node), ...set.missing.map((m) => m.node)], filter: buildFilter({}) });
  // Nodes without an agent count as not watched: nothing they run could be recorded.
  for (const m of set.missing) session.ingest({ kind: 'state', node: m.node, state: { phase: 'failed', error: `no agent: ${m.reason}` } });
  const sink = (u: WatchUpdate): void => {
    if (u.kind !== 'violation') return;
    const v = u.violation;
    tally.add(v);
    ownership.notice([v.pod].filter((p) => p !== ''));
    // --until-idle: only a call new for one of the workload's containers resets the clock.
    if (!names.includes(v.container)) return;
    const calls = seen.get(v.container) ?? new Set();
    if (!calls.has(v.syscall)) lastNewAt = Date.now();
    seen.set(v.container, calls.add(v.syscall));
  };
  const stopWatch = new AbortController();
  const onAbort = (): void => stopWatch.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const request = buildRequest(buildFilter({ namespaces: [namespace] }), undefined, Date.now());
  const watching = runWatch({ targets: set.targets, request, session, exitOnViolation: false, output: sink, signal: stopWatch.signal });

  const out: RecordOutput = {
    workload: workloadName(ref),
    namespace,
    base: base.name,
    auditProfile: auditPath,
    stopped: 'failed',
    recordedMs: 0,
    replicas: [],
    containers: [],
    events: { attributed: 0, notAttributed: 0, otherPods: 0 },
    restored: false,
    applied: false,
  };
  let bound = false;
  let failure: unknown;
  try {
    await streamsOpen(session, stopWatch.signal);
    const unwatched = session.board.list().filter((n) => !n.streamed);
    if (unwatched.length > 0) {
      throw new UserError(`cannot record: no violation stream from ${unwatched.map((n) => `${n.node} (${n.lastError || n.state.phase})`).join(', ')}`, 2);
    }
    if (!isPod) {
      opts.reporter.progress(`pushing ${base.name} in audit mode as ${auditPath}`);
      const local: LocalProfile[] = [{ source: base.name, path: auditPath, profile: base.profile }];
      const pushed = await runPush(set, local, { ...pushModes(true), concurrency: opts.concurrency, timeoutMs: opts.timeoutMs, signal, log: opts.log });
      const code = pushExitCode(pushed);
      if (code !== 0) throw new UserError(`cannot record: pushing ${auditPath} failed on ${failedNodes(pushed.nodes)}`, code);
      opts.reporter.progress(`binding ${workloadName(ref)} to ${auditPath}`);
      bound = true;
      await runBind(kc, set, workload, { ...opts, localhostProfile: auditPath, everyContainer: true, force: false, dryRun: false, signal });
      await waitRollout(kc, ref, namespace, opts, signal);
    }
    await ownership.refresh();
    const started = Date.now();
    lastNewAt = started;
    opts.reporter.progress(`recording ${namespace}/${workloadName(ref)}${untilText(opts)}`);
    out.stopped = signal.aborted ? 'interrupted' : await recordingEnds(opts, () => lastNewAt, signal);
    out.recordedMs = Date.now() - started;
  } catch (err) {
    failure = err;
  } finally {
    stopWatch.abort();
    signal.removeEventListener('abort', onAbort);
  }
  await watching;

  try {
    if (failure === undefined) {
      await ownership.refresh();
      const merged = mergeByContainer(names, tally, ownership.ours);
      for (const m of merged) {
        const file = join(opts.outDir, `${fileNamePart(ref.name)}_${fileNamePart(m.container)}.json`);
        const w = await writeSuggestion(file, `${namespace}/${workloadName(ref)}/${m.container}`, m.observation, base.profile);
        out.containers.push({
          container: m.container,
          file,
          localhostProfile: '',
          added: w.added,
          alreadyAllowed: w.alreadyAllowed,
          unnamed: w.unnamed,
          pods: m.pods,
          notes: w.notes,
        });
      }
      out.replicas = [...ownership.ours].sort();
      const events = countEvents(tally, ownership.ours);
      out.events = { ...events, notAttributed: tally.unnamedEvents + session.summary().unplaced };
      if (opts.apply && bound && out.stopped !== 'interrupted') {
        await applyRecorded(kc, set, ref, original, out, opts, signal);
        out.applied = true;
      }
    }
  } catch (err) {
    failure = err;
  } finally {
    if (bound && !out.applied) {
      await restore(kc, ref, original, restoreConfig).catch((err: unknown) => {
        throw new UserError(`restoring ${workloadName(ref)} failed (${(err as Error).message}): run kubectl seccomp unbind ${workload} -n ${namespace}`, 1);
      });
      out.restored = true;
      opts.reporter.progress(`restored ${workloadName(ref)}: the seccompProfile fields are as before`);
    }
  }
  if (failure === undefined) return out;
  if (failure instanceof UserError && out.restored) throw new UserError(`${failure.message} (${workloadName(ref)} restored)`, failure.exitCode);
  throw failure;
}

/**
 * Applies what our field manager had before (removing what record set), then puts back the profiles
 * another manager had set, which the bind's forced apply took over and the first step removed.
 */
async function restore(kc: KubeConfig, ref: WorkloadRef, original: KubernetesObject, config: KubernetesObject): Promise<void> {
  const after = await applyConfig(kc, config, false);
  const ops = putBackProfiles(ref, original, after);
  if (ops.length > 0) await jsonPatchWorkload(kc, ref.kind, original.metadata!.namespace!, ref.name, ops);
}

function pushModes(audit: boolean) {
  return { audit, logDenials: false, prune: false, dryRun: false, force: false, prefix: PREFIX, record: true };
}

function failedNodes(nodes: RecordOutputNodes): string {
  return nodes
    .filter((n) => n.status !== 'ok' || n.results.some((r) => r.outcome === 'error'))
    .map((n) => `${n.node} (${n.error?.message ?? n.results.find((r) => r.error)?.error ?? n.status})`)
    .join(', ');
}
type RecordOutputNodes = Awaited<ReturnType<typeof runPush>>['nodes'];

function untilText(opts: RecordOptions): string {
  const parts = [
    opts.durationMs !== undefined ? `for ${opts.durationMs / 1000}s` : '',
    opts.idleMs !== undefined ? `until ${opts.idleMs / 1000}s without a new syscall` : '',
  ];
  const text = parts.filter(Boolean).join(' or ');
  return `${text ? ` ${text}` : ''} (Ctrl-C stops and restores)`;
}

/** --apply: the recorded profiles, enforcing, pushed and bound one per container in one apply. */
async function applyRecorded(
  kc: KubeConfig,
  set: TargetSet,
  ref: WorkloadRef,
  original: KubernetesObject,
  out: RecordOutput,
  opts: RecordOptions,
  signal: AbortSignal,
): Promise<void> {
  const local = await loadLocalProfiles(
    out.containers.map((c) => c.file),
    PREFIX,
  );
  const pushed = await runPush(set, local, { ...pushModes(false), concurrency: opts.concurrency, timeoutMs: opts.timeoutMs, signal, log: opts.log });
  if (pushExitCode(pushed) !== 0) throw new UserError(`--apply: pushing the recorded profiles failed on ${failedNodes(pushed.nodes)}`, pushExitCode(pushed));
  const paths = new Map<string, string>();
  out.containers.forEach((c: RecordContainer, i) => {
    c.localhostProfile = local[i]!.path;
    paths.set(c.container, c.localhostProfile);
  });
  await applyConfig(kc, bindContainersConfig(ref, opts.namespace, paths, podTemplate(ref, original)), false);
  opts.reporter.progress(`applied: ${[...paths].map(([c, p]) => `${c} -> ${p}`).join(', ')}`);
}
