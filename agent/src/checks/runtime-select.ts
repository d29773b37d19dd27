import type { ContainerRuntimeFacts, OciRuntimeFacts } from '../host/runtime.js';
import { versionAtLeast } from '../host/version.js';
import type { NodeFacts } from './facts.js';
import { runtimeEndpoint } from './kubelet-settings.js';

const PREFERENCE = ['cri-o', 'containerd', 'docker'] as const;

/** The container runtime the kubelet uses: named by its endpoint, else the most Kubernetes-like one running. */
export function activeContainerRuntime(facts: NodeFacts): ContainerRuntimeFacts | undefined {
  const running = facts.runtime.containerRuntimes;
  const endpoint = runtimeEndpoint(facts.kubelet);
  const named = /crio/.test(endpoint) ? 'cri-o' : /containerd/.test(endpoint) ? 'containerd' : /docker/.test(endpoint) ? 'docker' : undefined;
  const byName = (name: string) => running.find((r) => r.name === name);
  return (named && byName(named)) || PREFERENCE.map(byName).find((r) => r !== undefined);
}

/** The OCI runtime containers are started with: the configured one, else the first found. */
export function activeOciRuntime(facts: NodeFacts): OciRuntimeFacts | undefined {
  return facts.runtime.ociRuntimes[0];
}

/** Versions from which the OCI runtime passes SECCOMP_FILTER_FLAG_LOG to the kernel. */
export const FLAG_LOG_SINCE: Record<OciRuntimeFacts['name'], readonly number[]> = { runc: [1, 2], crun: [0, 19] };

export function supportsFilterFlagLog(oci: OciRuntimeFacts | undefined): boolean {
  return oci !== undefined && oci.version !== '' && versionAtLeast(oci.version, FLAG_LOG_SINCE[oci.name]);
}
