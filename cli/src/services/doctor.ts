import type { CheckResult, DoctorResponse } from '@kubectl-seccomp/proto';
import type { ClusterCheck, DoctorNode, DoctorOutput, DoctorSummary } from '../output/types.js';
import type { AgentReport, MissingAgent, TargetSet } from '../targets/types.js';
import { fanOut, type FanOutOptions, type NodeOutcome } from './fanout.js';
import { missingHeader, nodeHeader } from './node-report.js';

/** Every node's checks (in parallel with the cluster-wide checks, when the target set has them). */
export async function runDoctor(set: TargetSet, opts: FanOutOptions): Promise<DoctorOutput> {
  const running = fanOut(set.targets, (api, ctx) => api.doctor(ctx.call()), opts);
  // The cluster checks read the API meanwhile, and then what the agents said (why a node is still tainted).
  const reports = running.then(
    (outcomes) => agentReports(outcomes, set.missing),
    () => agentReports([], set.missing),
  );
  const [outcomes, cluster] = await Promise.all([running, clusterChecks(set, reports, opts.signal)]);
  return doctorReport(outcomes, set.missing, cluster);
}

function agentReports(outcomes: NodeOutcome<DoctorResponse>[], missing: MissingAgent[]): AgentReport[] {
  return [
    ...outcomes.map((o): AgentReport =>
      o.ok ? { node: o.node, checks: o.value.checks } : { node: o.node, problem: `its agent did not answer: ${o.failure.message}` },
    ),
    ...missing.map((m): AgentReport => ({ node: m.node, problem: m.reason })),
  ];
}

async function clusterChecks(set: TargetSet, agents: Promise<AgentReport[]>, signal?: AbortSignal): Promise<ClusterCheck[]> {
  if (!set.clusterChecks) return [];
  try {
    return await set.clusterChecks(signal, agents);
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
