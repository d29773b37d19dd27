import type { KubeConfig } from '@kubernetes/client-node';
import { UserError } from '../../errors.js';
import { readRecorded } from '../../kube/configmaps.js';
import { applyConfig, listNodes, readObject } from '../../kube/workloads.js';
import type { BindNode, BindOutput, UnbindOutput } from '../../output/types.js';
import type { TargetSet } from '../../targets/types.js';
import { fanOut, type FanOutOptions } from '../fanout.js';
import { eligibleNodes } from './eligible.js';
import { nodeCopy } from './node-copy.js';
import { bindConfig, bindContainersConfig, containerNames, parseWorkloadRef, podTemplate, unbindConfig, workloadName, type WorkloadRef } from './workload.js';

export interface BindOptions extends FanOutOptions {
  namespace: string;
  agentNamespace: string;
  localhostProfile: string;
  /** undefined: the pod template's securityContext. */
  container?: string;
  /** Each container's own securityContext (record: a container's own profile must not override the trial). */
  everyContainer?: boolean;
  force: boolean;
  dryRun: boolean;
}

/** Some node the pods may run on lacks the profile (or has another version): nothing was applied. */
export class BindRefusedError extends UserError {
  constructor(readonly out: BindOutput) {
    const bad = out.nodes.filter((n) => n.status !== 'ok').map((n) => `  ${n.node}: ${n.reason}`);
    super(
      `${out.workload}: ${out.localhostProfile} is not in place on every node its pods can be scheduled to; nothing was applied (push it, or --force):\n${bad.join('\n')}`,
      1,
    );
  }
}

/**
 * Checks that every node the workload's pods may be scheduled to holds the profile as recorded,
 * then server-side applies the Localhost seccompProfile (field manager kubectl-seccomp).
 */
export async function runBind(kc: KubeConfig, set: TargetSet, workload: string, opts: BindOptions): Promise<BindOutput> {
  const ref = parseWorkloadRef(workload);
  const obj = await readObject(kc, { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: opts.namespace } });
  const template = podTemplate(ref, obj);
  if (opts.container !== undefined && !containerNames(template).includes(opts.container)) {
    throw new UserError(`${workloadName(ref)} has no container ${opts.container} (has: ${containerNames(template).join(', ')})`);
  }
  const patch = opts.everyContainer
    ? bindContainersConfig(ref, opts.namespace, new Map(containerNames(template).map((c) => [c, opts.localhostProfile])), template)
    : bindConfig(ref, opts.namespace, opts.localhostProfile, opts.container, template);
  const { eligible, excluded } = eligibleNodes(template.spec, await listNodes(kc), { daemonSet: ref.kind === 'DaemonSet' });
  const nodes = await checkNodes(kc, set, eligible, opts);
  const out: BindOutput = {
    workload: workloadName(ref),
    namespace: opts.namespace,
    localhostProfile: opts.localhostProfile,
    container: opts.container ?? '',
    dryRun: opts.dryRun,
    applied: false,
    forced: false,
    patch,
    nodes,
    excluded,
  };
  if (nodes.some((n) => n.status !== 'ok')) {
    if (!opts.force) throw new BindRefusedError(out);
    out.forced = true;
  }
  await applyConfig(kc, patch, opts.dryRun);
  out.applied = !opts.dryRun;
  return out;
}

async function checkNodes(kc: KubeConfig, set: TargetSet, eligible: readonly string[], opts: BindOptions): Promise<BindNode[]> {
  const recorded = await readRecorded(kc, opts.agentNamespace);
  const wanted = new Set(eligible);
  const targets = set.targets.filter((t) => wanted.has(t.node));
  const outcomes = await fanOut(targets, async (api, ctx) => await api.listProfiles(ctx.call()), opts);
  const nodes: BindNode[] = outcomes.map((o) => {
    if (!o.ok) return { node: o.node, status: 'unreachable', path: '', sha256: '', expected: '', reason: `cannot list its profiles: ${o.failure.message}` };
    const copy = nodeCopy(o.value.node, o.value.profiles, opts.localhostProfile, recorded);
    return { node: o.node, ...copy, reason: reason(copy.status, copy.expected) };
  });
  for (const node of eligible) {
    if (nodes.some((n) => n.node === node)) continue;
    const missing = set.missing.find((m) => m.node === node);
    nodes.push({ node, status: 'no-agent', path: '', sha256: '', expected: '', reason: `no agent to ask${missing ? ` (${missing.reason})` : ''}` });
  }
  return nodes.sort((a, b) => a.node.localeCompare(b.node));
}

function reason(status: BindNode['status'], expected: string): string {
  switch (status) {
    case 'missing':
      return 'the profile is not on this node';
    case 'different':
      return `the file differs from the recorded version (expected sha256 ${expected.slice(0, 12)})`;
    case 'invalid':
      return 'the file on the node is not a valid profile';
    default:
      return '';
  }
}

/** Applies an empty configuration as kubectl-seccomp: the server removes the fields bind set, nothing else. */
export async function runUnbind(kc: KubeConfig, workload: string, opts: { namespace: string; dryRun: boolean }): Promise<UnbindOutput> {
  const ref: WorkloadRef = parseWorkloadRef(workload);
  await readObject(kc, { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: opts.namespace } });
  const patch = unbindConfig(ref, opts.namespace);
  await applyConfig(kc, patch, opts.dryRun);
  return { workload: workloadName(ref), namespace: opts.namespace, dryRun: opts.dryRun, applied: !opts.dryRun, patch };
}
