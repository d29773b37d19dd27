import type { Severity } from './model.js';

export interface DangerousSyscall {
  severity: Severity;
  /** Why runtimes block it by default (or only grant it with a capability). */
  reason: string;
}

const MOUNT = 'mounts filesystems: a container can reach or hide host paths (Docker grants it only with CAP_SYS_ADMIN)';
const KEYRING = 'the kernel keyring is not namespaced: a container could read or change keys of the host and other containers';
const MODULES = 'loads or unloads kernel modules: code in the host kernel';
const CLOCK = 'time is not namespaced: changes the clock of the whole host';
const QUOTA = 'manages filesystem quotas of the host';

/**
 * Syscalls the container runtimes' default profiles block for good reason. Names that Docker
 * grants only together with a capability are warnings when allowed unconditionally; ptrace is info
 * because the runtimes allow it on kernels >= 4.8, where it can no longer bypass seccomp.
 */
export const DANGEROUS_SYSCALLS: Readonly<Record<string, DangerousSyscall>> = {
  mount: { severity: 'warning', reason: MOUNT },
  umount: { severity: 'warning', reason: MOUNT },
  umount2: { severity: 'warning', reason: MOUNT },
  fsopen: { severity: 'warning', reason: MOUNT },
  fsmount: { severity: 'warning', reason: MOUNT },
  fsconfig: { severity: 'warning', reason: MOUNT },
  fspick: { severity: 'warning', reason: MOUNT },
  move_mount: { severity: 'warning', reason: MOUNT },
  open_tree: { severity: 'warning', reason: MOUNT },
  mount_setattr: { severity: 'warning', reason: MOUNT },
  pivot_root: { severity: 'warning', reason: 'changes the root filesystem, a step in most mount-based escapes' },
  ptrace: { severity: 'info', reason: 'inspects and controls other processes in the container; before Linux 4.8 it could bypass seccomp entirely' },
  kcmp: { severity: 'warning', reason: 'compares kernel objects of other processes (Docker grants it only with CAP_SYS_PTRACE)' },
  pidfd_getfd: { severity: 'warning', reason: 'steals file descriptors from other processes (Docker grants it only with CAP_SYS_PTRACE)' },
  process_madvise: { severity: 'warning', reason: "changes other processes' memory (Docker grants it only with CAP_SYS_PTRACE)" },
  bpf: { severity: 'warning', reason: 'loads eBPF programs into the kernel: a large attack surface that can read kernel memory' },
  unshare: { severity: 'warning', reason: 'creates namespaces; user namespaces expose kernel code otherwise reserved to root' },
  setns: { severity: 'warning', reason: "joins other namespaces, such as the host's" },
  keyctl: { severity: 'warning', reason: KEYRING },
  add_key: { severity: 'warning', reason: KEYRING },
  request_key: { severity: 'warning', reason: KEYRING },
  kexec_load: { severity: 'warning', reason: 'loads a new kernel to boot into' },
  kexec_file_load: { severity: 'warning', reason: 'loads a new kernel to boot into' },
  init_module: { severity: 'warning', reason: MODULES },
  finit_module: { severity: 'warning', reason: MODULES },
  delete_module: { severity: 'warning', reason: MODULES },
  create_module: { severity: 'warning', reason: MODULES },
  open_by_handle_at: { severity: 'warning', reason: 'opens host files by handle, past the mount namespace (the "shocker" container escape)' },
  name_to_handle_at: { severity: 'warning', reason: 'produces the file handles open_by_handle_at uses to escape' },
  perf_event_open: { severity: 'warning', reason: 'kernel performance counters leak information about the host and have a long history of vulnerabilities' },
  userfaultfd: { severity: 'warning', reason: 'stalls kernel page faults on demand, a building block of many kernel exploits' },
  swapon: { severity: 'warning', reason: 'changes swap devices of the host' },
  swapoff: { severity: 'warning', reason: 'changes swap devices of the host' },
  reboot: { severity: 'warning', reason: 'reboots the host (or arms kexec)' },
  acct: { severity: 'warning', reason: 'switches process accounting for the whole host' },
  lookup_dcookie: { severity: 'warning', reason: 'kernel profiling interface: leaks kernel information' },
  iopl: { severity: 'warning', reason: 'grants direct access to hardware I/O ports' },
  ioperm: { severity: 'warning', reason: 'grants direct access to hardware I/O ports' },
  quotactl: { severity: 'warning', reason: QUOTA },
  quotactl_fd: { severity: 'warning', reason: QUOTA },
  clock_settime: { severity: 'warning', reason: CLOCK },
  clock_settime64: { severity: 'warning', reason: CLOCK },
  settimeofday: { severity: 'warning', reason: CLOCK },
  stime: { severity: 'warning', reason: CLOCK },
  vm86: { severity: 'warning', reason: 'runs code in virtual 8086 mode, historically buggy' },
  vm86old: { severity: 'warning', reason: 'runs code in virtual 8086 mode, historically buggy' },
  syslog: { severity: 'warning', reason: 'reads and clears the kernel log, which leaks kernel addresses' },
  nfsservctl: { severity: 'warning', reason: 'obsolete NFS server control, removed from the kernel' },
  uselib: { severity: 'warning', reason: 'obsolete library loader with a history of vulnerabilities' },
  get_kernel_syms: { severity: 'warning', reason: 'obsolete: reveals kernel symbols' },
  query_module: { severity: 'warning', reason: 'obsolete: reveals kernel module information' },
  _sysctl: { severity: 'warning', reason: 'obsolete sysctl interface, can change host kernel parameters' },
  personality: { severity: 'warning', reason: 'unrestricted, it can switch off address-space randomisation (runtimes allow only a few personas)' },
  vhangup: { severity: 'warning', reason: 'hangs up the terminal (Docker grants it only with CAP_SYS_TTY_CONFIG)' },
  mbind: { severity: 'warning', reason: 'NUMA memory policy can slow the whole host (Docker grants it only with CAP_SYS_NICE)' },
  set_mempolicy: { severity: 'warning', reason: 'NUMA memory policy can slow the whole host (Docker grants it only with CAP_SYS_NICE)' },
  move_pages: { severity: 'warning', reason: "moves other processes' memory between NUMA nodes" },
  migrate_pages: { severity: 'warning', reason: "moves other processes' memory between NUMA nodes" },
};
