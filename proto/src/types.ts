/**
 * The agent API as precise TypeScript types: what both sides program against. The wire form is
 * agent.proto; codec.ts converts between the two. Every field is always present (proto3 defaults).
 */

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface NodeInfo {
  nodeName: string;
  agentVersion: string;
  kernelRelease: string;
  /** uname machine, e.g. "x86_64". */
  machine: string;
  /** Absolute host path of the dir profiles are written to. */
  profileDir: string;
  /** The kubelet's --root-dir, "" when unknown. */
  kubeletRootDir: string;
  /** "containerd" | "cri-o" | "docker" | "" */
  containerRuntime: string;
  containerRuntimeVersion: string;
  /** "runc" | "crun" | "" */
  ociRuntime: string;
  ociRuntimeVersion: string;
  /** The OCI runtime honours SECCOMP_FILTER_FLAG_LOG (runc >= 1.2, crun >= 0.19). */
  filterFlagLogSupported: boolean;
  /** SCMP_ARCH_* names the node runs, native first. */
  architectures: string[];
}

/** Which agent build answers, and on which Node.js. */
export interface VersionResponse {
  nodeName: string;
  agentVersion: string;
  /** e.g. "24.22.3" */
  nodejsVersion: string;
  /** e.g. "linux-x64" */
  platform: string;
}

export interface CheckResult {
  /** Stable dotted id, e.g. "kubelet.seccomp-default". */
  id: string;
  status: CheckStatus;
  summary: string;
  detail: string;
  /** What to do; "" for pass and skip. */
  remedy: string;
}

export type SeccompMode = 'unknown' | 'disabled' | 'strict' | 'filter';

export interface ContainerProcess {
  containerId: string;
  podUid: string;
  pid: number;
  comm: string;
  mode: SeccompMode;
  filters: number;
}

export interface DoctorResponse {
  node: NodeInfo;
  checks: CheckResult[];
  containers: ContainerProcess[];
}

export interface ProfileInfo {
  /** Relative to the profile dir, "/" separated. */
  path: string;
  sha256: string;
  size: number;
  managed: boolean;
  /** Why the file is not a usable profile; "" when it is. */
  error: string;
  /** When the file was last written or replaced (ms since the epoch); 0 when unknown. */
  changedUnixMs: number;
}

export interface ListProfilesResponse {
  node: NodeInfo;
  profiles: ProfileInfo[];
}

export interface ProfileFile {
  path: string;
  content: Uint8Array;
}

export interface ProfileRef {
  path: string;
  sha256: string;
}

export interface SyncProfilesRequest {
  files: ProfileFile[];
  unchanged: ProfileRef[];
  prune: boolean;
  dryRun: boolean;
  /** Overwrite and adopt files the tool did not write (default: refuse them). */
  force?: boolean;
}

export type SyncOutcome = 'created' | 'updated' | 'unchanged' | 'deleted' | 'adopted' | 'error';

export interface SyncResult {
  path: string;
  outcome: SyncOutcome;
  sha256: string;
  error: string;
}

export interface SyncProfilesResponse {
  node: NodeInfo;
  results: SyncResult[];
  dryRun: boolean;
}

export interface ViolationFilter {
  namespaces: string[];
  pods: string[];
  containers: string[];
  syscalls: string[];
  actions: string[];
}

export interface WatchViolationsRequest {
  filter: ViolationFilter;
  /** ms since the epoch; 0 = from now. */
  sinceUnixMs: number;
  /** 0 = agent default. */
  statsIntervalMs: number;
  /** 0 = agent default. */
  maxQueue: number;
}

export type ViolationSource = 'kmsg' | 'journald' | 'auditlog' | 'netlink';

export interface Violation {
  node: string;
  namespace: string;
  pod: string;
  container: string;
  containerId: string;
  podUid: string;
  pid: number;
  comm: string;
  exe: string;
  /** SCMP_ARCH_* name, e.g. "SCMP_ARCH_X86_64"; "" when the audit arch is unknown. */
  arch: string;
  auditArch: number;
  syscallNr: number;
  /** "" when the number is unknown for the arch. */
  syscall: string;
  /** e.g. "SCMP_ACT_LOG". */
  action: string;
  code: number;
  errno: number;
  source: ViolationSource | '';
  /** "SECONDS.MILLIS:SERIAL" */
  auditId: string;
  timeUnixMs: number;
  compat: boolean;
  uid: number;
  gid: number;
  emittedUnixMs: number;
}

export interface SourceStats {
  name: string;
  healthy: boolean;
  error: string;
  records: number;
  lost: number;
  damaged: number;
}

/** Why records were lost; a newer agent may send reasons this list does not have yet. */
export type LossReason = 'ring-overrun' | 'kernel-suppressed' | 'audit-lost' | 'overwritten-while-down' | (string & {});

export interface LossCount {
  reason: LossReason;
  count: number;
}

export interface StreamStats {
  seen: number;
  dropped: number;
  lost: number;
  sources: SourceStats[];
  timeUnixMs: number;
  /** The agent's node name ("" from an older agent). */
  nodeName: string;
  /** `lost` by reason. */
  losses: LossCount[];
  /** Violations without pod or container that the stream's filter could not place (not sent). */
  unattributed: number;
}

export type WatchEvent = { kind: 'violation'; violation: Violation } | { kind: 'stats'; stats: StreamStats };

export interface CallOptions {
  /** Cancels the call; for watchViolations it ends the stream. */
  signal?: AbortSignal;
  /** Deadline for unary calls, ms from now. */
  timeoutMs?: number;
}

/**
 * One node's agent, however it is reached: gRPC (direct or through a port-forward) or in-process
 * (--local). Errors are AgentError.
 */
export interface AgentApi {
  doctor(opts?: CallOptions): Promise<DoctorResponse>;
  listProfiles(opts?: CallOptions): Promise<ListProfilesResponse>;
  syncProfiles(req: SyncProfilesRequest, opts?: CallOptions): Promise<SyncProfilesResponse>;
  /** Ends when opts.signal aborts (cleanly, without throwing) or the agent ends the stream. */
  watchViolations(req: WatchViolationsRequest, opts?: CallOptions): AsyncIterable<WatchEvent>;
  version(opts?: CallOptions): Promise<VersionResponse>;
}
