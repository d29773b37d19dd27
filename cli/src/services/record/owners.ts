import type { KubernetesObject, V1Pod } from '@kubernetes/client-node';

/** The kind between a workload and its pods, as the controllers create them (none: pods are owned directly). */
export function intermediateKind(kind: string): { apiVersion: string; kind: string } | undefined {
  if (kind === 'Deployment') return { apiVersion: 'apps/v1', kind: 'ReplicaSet' };
  if (kind === 'CronJob') return { apiVersion: 'batch/v1', kind: 'Job' };
  return undefined;
}

const ownedBy = (o: KubernetesObject, uids: ReadonlySet<string>): boolean => (o.metadata?.ownerReferences ?? []).some((r) => uids.has(r.uid));

/** Does the pod run (some container) under this Localhost profile? */
function runsUnder(pod: V1Pod, localhostProfile: string): boolean {
  const spec = pod.spec;
  const named = [
    spec?.securityContext?.seccompProfile,
    ...[...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => c.securityContext?.seccompProfile),
  ];
  return named.some((p) => p?.type === 'Localhost' && p.localhostProfile === localhostProfile);
}

/**
 * The names of the workload's pods among `pods`, by owner references as the controllers set them:
 * Deployment -> ReplicaSet -> Pod, CronJob -> Job -> Pod, the others (and a Pod itself) directly.
 * With `localhostProfile`, only those running under it (not the replicas a rollout replaces).
 */
export function workloadPods(
  workload: KubernetesObject,
  intermediates: readonly KubernetesObject[],
  pods: readonly V1Pod[],
  localhostProfile?: string,
): string[] {
  const uid = workload.metadata?.uid ?? '';
  if (workload.kind === 'Pod') return pods.filter((p) => p.metadata?.uid === uid).map((p) => p.metadata!.name!);
  if (localhostProfile !== undefined) pods = pods.filter((p) => runsUnder(p, localhostProfile));
  let owners = new Set([uid]);
  if (intermediateKind(workload.kind ?? '')) {
    owners = new Set(intermediates.filter((o) => ownedBy(o, owners)).map((o) => o.metadata?.uid ?? ''));
  }
  return pods.filter((p) => ownedBy(p, owners)).map((p) => p.metadata!.name!);
}
