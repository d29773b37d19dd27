export interface StartupCall {
  /** Alternatives: the call is made if any one of them is allowed. */
  names: readonly string[];
  why: string;
}

/**
 * Calls made under the container's filter before its command runs or as it ends, by every container
 * on runc (what containerd and CRI-O run by default); a profile denying one can start no container.
 * Checked on runc 1.1 with noNewPrivileges, where the filter is loaded last: without it (Kubernetes'
 * default unless allowPrivilegeEscalation is false) runc needs more, so this is a lower bound.
 */
export const STARTUP_SYSCALLS: readonly StartupCall[] = [
  { names: ['execve'], why: "the runtime starts the container's command with it" },
  { names: ['exit_group', 'exit'], why: 'every process ends with one of them' },
  { names: ['write'], why: 'runc reports the container ready through its exec FIFO after loading the filter' },
  { names: ['openat'], why: 'runc opens its exec FIFO after loading the filter' },
  { names: ['close'], why: 'runc closes its descriptors after loading the filter' },
  { names: ['fstatfs'], why: 'runc checks /proc before closing inherited descriptors' },
  { names: ['getdents64'], why: 'runc lists /proc/self/fd to close inherited descriptors' },
];
