/** Kubernetes names of the container a violating process ran in. */
export interface PodNames {
  namespace: string;
  pod: string;
  /** "" when only the pod is known (a process in the pod's cgroup but in no container). */
  container: string;
}

/** Names pods and containers on this node, from what /proc/PID/cgroup told (either id may be ""). */
export interface PodResolver {
  lookup(podUid: string, containerId: string): PodNames | undefined;
}

/** When there is no Kubernetes API (--local, or no credentials): nothing can be named. */
export const nullPodResolver: PodResolver = { lookup: () => undefined };
