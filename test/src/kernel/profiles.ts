/** OCI seccomp profiles for the kernel tests: allow everything, one action for mkdir. */
export function mkdirProfile(action: 'SCMP_ACT_LOG' | 'SCMP_ACT_KILL_PROCESS' | 'SCMP_ACT_ERRNO'): object {
  return {
    defaultAction: 'SCMP_ACT_ALLOW',
    syscalls: [{ names: ['mkdir', 'mkdirat'], action }],
  };
}
