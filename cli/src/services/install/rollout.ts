import type { V1DaemonSet, V1Node, V1Pod } from '@kubernetes/client-node';
import { matchAgents } from '../../kube/discovery.js';
import type { MissingAgent } from '../../targets/types.js';
import type { RolloutStatus } from './types.js';

/** Pure: the rollout as `kubectl rollout status` judges a DaemonSet (the controller has seen the
 * latest spec, and every scheduled node runs an updated, available pod). */
export function rolloutStatus(ds: V1DaemonSet): RolloutStatus {
  const s = ds.status;
  const desired = s?.desiredNumberScheduled ?? 0;
  const updated = s?.updatedNumberScheduled ?? 0;
  const ready = s?.numberReady ?? 0;
  const available = s?.numberAvailable ?? 0;
  const observed = (s?.observedGeneration ?? 0) >= (ds.metadata?.generation ?? 0);
  return { complete: s !== undefined && observed && updated >= desired && available >= desired, desired, updated, ready, available };
}

/** Pure: the nodes the DaemonSet should cover (its nodeSelector is kubernetes.io/os=linux) that have no ready agent pod. */
export function nodesWithoutAgent(nodes: V1Node[], pods: V1Pod[]): MissingAgent[] {
  const linux = nodes.filter((n) => (n.metadata?.labels?.['kubernetes.io/os'] ?? 'linux') === 'linux');
  return matchAgents(linux, pods, []).missing;
}

export function rolloutLine(namespace: string, name: string, r: RolloutStatus): string {
  return `waiting for daemonset ${namespace}/${name}: ${r.available}/${r.desired} available, ${r.updated} updated`;
}
