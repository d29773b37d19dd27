import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { StatusOutput } from '../../output/types.js';
import { readRecorded } from '../../kube/configmaps.js';
import type { TargetSet } from '../../targets/types.js';
import { fanOut, type FanOutOptions } from '../fanout.js';
import { buildStatus, type NodeFacts } from './build.js';

export interface StatusOptions extends FanOutOptions {
  agentNamespace: string;
  only?: string;
}

/** Reads the recorded profiles and every pod, asks each agent for its files and container processes. */
export async function runStatus(kc: KubeConfig, set: TargetSet, opts: StatusOptions): Promise<StatusOutput> {
  const [recorded, pods] = await Promise.all([readRecorded(kc, opts.agentNamespace), kc.makeApiClient(CoreV1Api).listPodForAllNamespaces()]);
  const outcomes = await fanOut(
    set.targets,
    async (api, ctx): Promise<NodeFacts> => {
      const [listing, doctor] = await Promise.all([api.listProfiles(ctx.call()), api.doctor(ctx.call())]);
      return { node: ctx.node, info: listing.node, files: listing.profiles, containers: doctor.containers };
    },
    opts,
  );
  const nodes = outcomes.flatMap((o) => (o.ok ? [o.value] : []));
  const unreachable = [
    ...outcomes.flatMap((o) => (o.ok ? [] : [{ node: o.node, reason: o.failure.message }])),
    ...set.missing.map((m) => ({ node: m.node, reason: m.reason })),
  ];
  return buildStatus({ recorded, pods: pods.items, nodes, unreachable, only: opts.only });
}

/** 1 when a profile is out of sync or a container is stale or unfiltered, 2 when a node could not be asked, else 0. */
export function statusExitCode(out: StatusOutput): number {
  if (out.unreachable.length > 0) return 2;
  return out.summary.outOfSync + out.summary.stale + out.summary.notFiltered > 0 ? 1 : 0;
}
