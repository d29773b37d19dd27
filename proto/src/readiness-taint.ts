/**
 * The node readiness gate, shared by the agent (which removes the taint), the CLI (doctor names
 * nodes that still carry it) and the docs: a node registered with this taint
 * (`--register-with-taints=seccomp.kubectl-seccomp.io/profiles-not-ready=:NoSchedule`) takes no
 * pods until its agent has written every recorded profile; the agent removes it once and never adds
 * it back.
 */
export const READINESS_TAINT_KEY = 'seccomp.kubectl-seccomp.io/profiles-not-ready';
export const READINESS_TAINT_EFFECT = 'NoSchedule';
/** The kubelet flag value that registers a node with the taint. */
export const READINESS_TAINT_FLAG = `--register-with-taints=${READINESS_TAINT_KEY}=:${READINESS_TAINT_EFFECT}`;
