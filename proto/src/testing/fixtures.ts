// Fully populated API values (every field non-default) for round-trip tests.
import type {
  DoctorResponse,
  ListProfilesResponse,
  NodeInfo,
  SyncProfilesRequest,
  SyncProfilesResponse,
  VersionResponse,
  Violation,
  WatchEvent,
  WatchViolationsRequest,
} from '../types.js';

export const node: NodeInfo = {
  nodeName: 'node-a',
  agentVersion: '0.1.0',
  kernelRelease: '6.1.0-18-amd64',
  machine: 'x86_64',
  profileDir: '/var/lib/kubelet/seccomp',
  kubeletRootDir: '/var/lib/kubelet',
  containerRuntime: 'containerd',
  containerRuntimeVersion: '1.7.13',
  ociRuntime: 'runc',
  ociRuntimeVersion: '1.2.0',
  filterFlagLogSupported: true,
  architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
};

export const doctorResponse: DoctorResponse = {
  node,
  checks: [
    {
      id: 'kubelet.seccomp-default',
      status: 'warn',
      summary: 'seccompDefault is off',
      detail: '/var/lib/kubelet/config.yaml',
      remedy: 'set seccompDefault: true',
    },
    { id: 'kernel.seccomp', status: 'pass', summary: 'ok', detail: 'actions_avail', remedy: '' },
    { id: 'kernel.actions-logged', status: 'fail', summary: 'log missing', detail: 'x', remedy: 'y' },
    { id: 'runtime.crio', status: 'skip', summary: 'no CRI-O', detail: 'd', remedy: 'r' },
  ],
  containers: [
    { containerId: 'abc', podUid: 'uid-1', pid: 4242, comm: 'nginx', mode: 'filter', filters: 2 },
    { containerId: 'def', podUid: 'uid-2', pid: 7, comm: 'sh', mode: 'disabled', filters: 0 },
    { containerId: 'ghi', podUid: 'uid-3', pid: 8, comm: 'x', mode: 'strict', filters: 1 },
    { containerId: 'jkl', podUid: 'uid-4', pid: 9, comm: 'y', mode: 'unknown', filters: 3 },
  ],
};

export const listProfilesResponse: ListProfilesResponse = {
  node,
  profiles: [
    { path: 'team/a.json', sha256: 'ab'.repeat(32), size: 5_000_000_000, managed: true, error: '', changedUnixMs: 1_795_369_472_866 },
    { path: 'broken.json', sha256: 'cd'.repeat(32), size: 12, managed: false, error: '/defaultAction: missing', changedUnixMs: 0 },
  ],
};

export const syncProfilesRequest: SyncProfilesRequest = {
  files: [{ path: 'team/a.json', content: new TextEncoder().encode('{"defaultAction":"SCMP_ACT_LOG"}') }],
  unchanged: [{ path: 'team/b.json', sha256: 'ef'.repeat(32) }],
  prune: true,
  dryRun: true,
  force: true,
};

export const syncProfilesResponse: SyncProfilesResponse = {
  node,
  results: [
    { path: 'a', outcome: 'created', sha256: '1', error: '' },
    { path: 'b', outcome: 'updated', sha256: '2', error: '' },
    { path: 'c', outcome: 'unchanged', sha256: '3', error: '' },
    { path: 'd', outcome: 'deleted', sha256: '', error: '' },
    { path: 'e', outcome: 'adopted', sha256: 'ab'.repeat(32), error: '' },
    { path: 'e', outcome: 'error', sha256: '', error: '/syscalls/0/action: unknown action' },
  ],
  dryRun: true,
};

export const watchRequest: WatchViolationsRequest = {
  filter: { namespaces: ['default'], pods: ['web-0'], containers: ['nginx'], syscalls: ['mkdir'], actions: ['SCMP_ACT_LOG'] },
  sinceUnixMs: 1_795_369_472_866,
  statsIntervalMs: 1000,
  maxQueue: 256,
};

export const violation: Violation = {
  node: 'node-a',
  namespace: 'default',
  pod: 'web-0',
  container: 'nginx',
  containerId: 'abc',
  podUid: 'uid-1',
  pid: 3436,
  comm: 'mkdir',
  exe: '/bin/busybox',
  arch: 'SCMP_ARCH_X86_64',
  auditArch: 0xc000003e,
  syscallNr: 83,
  syscall: 'mkdir',
  action: 'SCMP_ACT_ERRNO',
  code: 0x80000000,
  errno: 1,
  source: 'journald',
  auditId: '1795369472.866:2',
  timeUnixMs: 1_795_369_472_866,
  compat: true,
  uid: 4_294_967_295,
  gid: 1000,
  emittedUnixMs: 1_795_369_472_900,
};

export const violationEvent: WatchEvent = { kind: 'violation', violation };

/** The commonest record: a call a profile logged (SCMP_ACT_LOG), read from the kernel log. Tests spread it. */
export const loggedViolation: Violation = {
  ...violation,
  action: 'SCMP_ACT_LOG',
  code: 0x7ffc0000,
  errno: 0,
  source: 'kmsg',
  compat: false,
  uid: 0,
  gid: 0,
};

export const statsEvent: WatchEvent = {
  kind: 'stats',
  stats: {
    seen: 10,
    dropped: 2,
    lost: 3,
    sources: [
      { name: 'kmsg', healthy: true, error: '', records: 9_007_199_254_740_000, lost: 1, damaged: 2 },
      { name: 'journald', healthy: false, error: 'journalctl exited', records: 0, lost: 0, damaged: 0 },
    ],
    timeUnixMs: 1_795_369_473_000,
    nodeName: 'worker-1',
    losses: [
      { reason: 'overwritten-while-down', count: 2 },
      { reason: 'ring-overrun', count: 1 },
    ],
    unattributed: 4,
  },
};

export const versionResponse: VersionResponse = { nodeName: 'node-a', agentVersion: '0.1.0', nodejsVersion: '24.22.3', platform: 'linux-arm64' };
