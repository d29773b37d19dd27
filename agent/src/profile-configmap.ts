/**
 * The durable desired state of `push`: one ConfigMap per profile in the agent namespace. The CLI
 * writes them, every agent reconciles its node from them (so nodes that join later converge).
 */
export const PROFILE_CONFIGMAP = {
  labels: { 'app.kubernetes.io/managed-by': 'kubectl-seccomp', 'kubectl-seccomp.io/profile': 'true' },
  /** The profile's path relative to the kubelet's seccomp dir. */
  pathAnnotation: 'kubectl-seccomp.io/path',
  /** The profile as the user wants it enforced (before per-node flattening). */
  dataKey: 'profile.json',
} as const;
