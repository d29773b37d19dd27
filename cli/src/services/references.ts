import type { V1Pod, V1SeccompProfile } from '@kubernetes/client-node';

/** A container whose effective seccompProfile is a Localhost profile. */
export interface ProfileReference {
  namespace: string;
  pod: string;
  container: string;
  /** "" for a pod not scheduled yet: it may land on any node. */
  node: string;
  localhostProfile: string;
}

/** Pods that are done never start a container again. */
const FINISHED = new Set(['Succeeded', 'Failed']);

/**
 * Every container of the live pods that runs, or will run, under a Localhost profile: the
 * container's own seccompProfile, else the pod's (init and ephemeral containers too).
 */
export function profileReferences(pods: readonly V1Pod[]): ProfileReference[] {
  const out: ProfileReference[] = [];
  for (const pod of pods) {
    if (FINISHED.has(pod.status?.phase ?? '')) continue;
    const podProfile = pod.spec?.securityContext?.seccompProfile;
    const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
    for (const c of containers) {
      const profile = localhost(c.securityContext?.seccompProfile ?? podProfile);
      if (profile === undefined) continue;
      out.push({
        namespace: pod.metadata?.namespace ?? '',
        pod: pod.metadata?.name ?? '',
        container: c.name,
        node: pod.spec?.nodeName ?? '',
        localhostProfile: profile,
      });
    }
  }
  return out;
}

function localhost(p: V1SeccompProfile | undefined): string | undefined {
  return p?.type === 'Localhost' && p.localhostProfile ? p.localhostProfile : undefined;
}

/** "ns/pod (container c)". */
export function describeReference(r: ProfileReference): string {
  return `${r.namespace}/${r.pod} (container ${r.container}${r.node ? ` on ${r.node}` : ''})`;
}
