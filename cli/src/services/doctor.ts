import type { CheckResult, DoctorResponse } from '@kubectl-seccomp/proto';
import type { ClusterCheck, DoctorNode, DoctorOutput, DoctorSummary } from '../output/types.js';
import type { MissingAgent, TargetSet } from '../targets/types.js';
import { fanOut, type FanOutOptions, type NodeOutcome } from './fanout.js';
import { missingHeader, nodeHeader } from './node-report.js';

/** Every node's checks (in parallel with the cluster-wide checks, when the target set has them). */
export async function runDoctor(set: TargetSet, opts: FanOutOptions): Promise<DoctorOutput> {
  const [outcomes, cluster] = await Promise.all([fanOut(set.targets, (api, ctx) => api.doctor(ctx.call()), opts), clusterChecks(set, opts.signal)]);
  return doctorReport(outcomes, set.missing, cluster);
}

async function clusterChecks(set: TargetSet, signal?: AbortSignal): Promise<ClusterCheck[]> {
  if (!set.clusterChecks) return [];
  try {
    return await set.clusterChecks(signal);
  } catch (err) {
    return [
      {
        object: 'cluster',
        id: 'cluster.checks',
        status: 'warn',
        summary: 'the cluster-wide checks could not run',
        detail: err instanceof Error ? err.message : String(err),
        remedy: 'Check your access to the cluster (kubectl auth can-i list nodes) and run again with --verbose.',
      },
    ];
  }
}

export function doctorReport(outcomes: NodeOutcome<DoctorResponse>[], missing: MissingAgent[], cluster: ClusterCheck[]): DoctorOutput {
  const nodes: DoctorNode[] = [
    ...outcomes.map((o): DoctorNode => {
      const header = nodeHeader(o, o.ok ? o.value.node : undefined);
      if (!o.ok) return { ...header, checks: [], containers: [] };
      return { ...header, info: o.value.node, checks: o.value.checks, containers: o.value.containers };
    }),
    ...missing.map((m): DoctorNode => ({ ...missingHeader(m), checks: [], containers: [] })),
  ];
  return { nodes, cluster, summary: summarize(nodes, cluster) };
}

function summarize(nodes: DoctorNode[], cluster: ClusterCheck[]): DoctorSummary {
  const checks: CheckResult[] = [...nodes.flatMap((n) => n.checks), ...cluster];
  const count = (status: CheckResult['status']): number => checks.filter((c) => c.status === status).length;
  return {
    pass: count('pass'),
    warn: count('warn'),
    fail: count('fail'),
    skip: count('skip'),
    unreachable: nodes.filter((n) => n.status !== 'ok').length,
  };
}

/** 2 when a node could not be checked, else 1 when a check failed (with strict: or warned), else 0. */
export function doctorExitCode(out: DoctorOutput, strict: boolean): number {
  if (out.summary.unreachable > 0) return 2;
  return out.summary.fail > 0 || (strict && out.summary.warn > 0) ? 1 : 0;
}
