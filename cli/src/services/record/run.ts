import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
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
import { Recorder } from './recorder.js';
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

async function waitRollout(kc: KubeConfig, ref: WorkloadRef, namespace: string, opts: RecordOptions, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + opts.rolloutTimeoutMs;
  let last = '';
  for (;;) {
    const obj = await readObject(kc, { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace } });
    const r = workloadRollout(obj);
    if (r.complete || signal.aborted) return;
    const state = r.observed ? `${r.updated}/${r.desired} updated, ${r.ready} ready` : 'the controller has not seen the new template yet';
    const line = `waiting for the rollout of ${namespace}/${workloadName(ref)}: ${state}`;
    if (line !== last) opts.reporter.progress((last = line));
    if (Date.now() > deadline) throw new UserError(`the rollout of ${workloadName(ref)} did not complete in time (${state})`, 1);
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
  const ref = parseWorkloadRef(workload, { fixed: true });
  const { namespace } = opts;
  const original = await readObject(kc, { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace } });
  const names = containerNames(podTemplate(ref, original));
  const base = await loadBaseProfile(opts.base);
  if (!(await stat(opts.outDir).catch(() => undefined))?.isDirectory()) throw new UserError(`--out ${opts.outDir}: not a directory`);
  // A pod or a Job cannot take another profile: it is watched as it runs, under the profile it has.
  const asRunning = ref.fixed === true;
  if (asRunning && opts.apply)
    throw new UserError(
      `${workload}: --apply cannot bind a ${ref.kind === 'Pod' ? 'pod' : 'Job'} (its pod template cannot change); record the workload that creates it`,
    );
  const auditPath = asRunning ? '' : `${PREFIX}/record-${fileNamePart(namespace)}-${fileNamePart(ref.name)}.json`;
  // What our field manager had set before (an earlier bind): the restore applies exactly that again.
  const restoreConfig = ownedConfig(ref, original, FIELD_MANAGER);
  const out: RecordOutput = {
    workload: workloadName(ref),
    namespace,
    base: base.name,
    auditProfile: auditPath,
    stopped: 'interrupted', // set when the recording ends
    recordedMs: 0,
    replicas: [],
    containers: [],
    events: { attributed: 0, notAttributed: 0, otherPods: 0 },
    restored: false,
    applied: false,
  };

  const recorder = new Recorder(kc, set, original, names, asRunning ? undefined : auditPath);
  let bound = false;
  let failure: unknown;
  try {
    const unwatched = await recorder.opened(signal);
    if (unwatched.length > 0) throw new UserError(`cannot record: no violation stream from ${unwatched.join(', ')}`, 2);
    if (!asRunning) {
      opts.reporter.progress(`pushing ${base.name} in audit mode as ${auditPath}`);
      await pushOrFail(set, [{ source: base.name, path: auditPath, profile: base.profile }], true, opts, signal, 'cannot record: pushing the audit-mode base');
      opts.reporter.progress(`binding ${workloadName(ref)} to ${auditPath}`);
      bound = true;
      await runBind(kc, set, workload, { ...opts, localhostProfile: auditPath, everyContainer: true, force: false, dryRun: false, signal });
      await waitRollout(kc, ref, namespace, opts, signal);
    }
    await recorder.start();
    const started = Date.now();
    opts.reporter.progress(`recording ${namespace}/${workloadName(ref)}${untilText(opts)}`);
    out.stopped = signal.aborted ? 'interrupted' : await recordingEnds(opts, () => recorder.lastNewAt, signal);
    out.recordedMs = Date.now() - started;
  } catch (err) {
    failure = err;
  } finally {
    await recorder.stop();
  }

  try {
    if (failure === undefined) {
      const recorded = await recorder.result();
      out.replicas = recorded.replicas;
      out.events = recorded.events;
      for (const m of recorded.containers) {
        const file = join(opts.outDir, `${fileNamePart(ref.name)}_${fileNamePart(m.container)}.json`);
        const w = await writeSuggestion(file, `${namespace}/${workloadName(ref)}/${m.container}`, m.observation, base.profile);
        const { added, alreadyAllowed, unnamed, notes } = w;
        out.containers.push({ container: m.container, file, localhostProfile: '', added, alreadyAllowed, unnamed, pods: m.pods, notes });
      }
      if (opts.apply && bound && out.stopped !== 'interrupted') {
        await applyRecorded(kc, set, ref, original, out, opts, signal);
        out.applied = true;
      }
    }
  } catch (err) {
    failure = err;
  }
  if (bound && !out.applied) {
    try {
      await restore(kc, ref, original, restoreConfig);
      out.restored = true;
      opts.reporter.progress(`restored ${workloadName(ref)}: the seccompProfile fields are as before`);
    } catch (err) {
      failure = new UserError(
        `restoring ${workloadName(ref)} failed (${(err as Error).message}); it still runs ${auditPath}: unbind it, or bind again what it had (${JSON.stringify(restoreConfig)})`,
        1,
      );
    }
  }
  if (failure === undefined) return out;
  // After Ctrl-C the command exits 130 whatever the error: the reason is said here.
  if (signal.aborted) opts.reporter.progress(`error: ${(failure as Error).message}`);
  if (failure instanceof UserError && out.restored) throw new UserError(`${failure.message} (${workloadName(ref)} restored)`, failure.exitCode);
  throw failure;
}

/** Pushes (recorded as ConfigMaps like push), or fails naming the nodes it did not reach. */
async function pushOrFail(set: TargetSet, local: LocalProfile[], audit: boolean, opts: RecordOptions, signal: AbortSignal, what: string): Promise<void> {
  const pushed = await runPush(set, local, {
    audit,
    logDenials: false,
    prune: false,
    dryRun: false,
    force: false,
    prefix: PREFIX,
    record: true,
    concurrency: opts.concurrency,
    timeoutMs: opts.timeoutMs,
    signal,
    log: opts.log,
  });
  const code = pushExitCode(pushed);
  if (code === 0) return;
  const failed = pushed.nodes
    .filter((n) => n.status !== 'ok' || n.results.some((r) => r.outcome === 'error'))
    .map((n) => `${n.node} (${n.error?.message ?? n.results.find((r) => r.error)?.error ?? n.status})`);
  throw new UserError(`${what} failed on ${failed.join(', ')}`, code);
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
  await pushOrFail(set, local, false, opts, signal, '--apply: pushing the recorded profiles');
  const paths = new Map<string, string>();
  out.containers.forEach((c: RecordContainer, i) => {
    c.localhostProfile = local[i]!.path;
    paths.set(c.container, c.localhostProfile);
  });
  await applyConfig(kc, bindContainersConfig(ref, opts.namespace, paths, podTemplate(ref, original)), false);
  opts.reporter.progress(`applied: ${[...paths].map(([c, p]) => `${c} -> ${p}`).join(', ')}`);
}
