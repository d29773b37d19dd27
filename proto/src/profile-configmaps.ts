/**
 * How profiles are kept in the cluster, the contract between `kubectl seccomp push` (which writes
 * these ConfigMaps) and every agent (which converges its node on them):
 *
 * - one ConfigMap per profile, in the agent's namespace;
 * - labels `app.kubernetes.io/managed-by=kubectl-seccomp` and `kubectl-seccomp.io/profile=true`;
 * - annotation `kubectl-seccomp.io/path`: the file's path relative to the kubelet's seccomp dir,
 *   as a pod's `localhostProfile` names it (same rules as SyncProfiles paths: the agent's store/paths.ts);
 * - data key `profile.json`: the profile exactly as the user wants it enforced (already in audit
 *   mode etc.). Each agent flattens it for its own node (flatten + serializeProfile from
 *   @kubectl-seccomp/profiles), so the bytes on disk equal what a direct push to that node sends.
 *
 * Deleting the ConfigMap removes the file from every node (only if it came from a ConfigMap and
 * was not edited by hand since).
 */
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'kubectl-seccomp';
export const LABEL_PROFILE = 'kubectl-seccomp.io/profile';
export const ANNOTATION_PATH = 'kubectl-seccomp.io/path';
export const DATA_KEY = 'profile.json';

/** The label selector that finds profile ConfigMaps. */
export const PROFILE_SELECTOR = `${LABEL_MANAGED_BY}=${MANAGED_BY},${LABEL_PROFILE}=true`;
