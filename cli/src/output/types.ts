/**
 * The JSON/YAML output of every command (-o json|yaml). These types ARE the documented format:
 * fields are only ever added. cli/README.md describes them for users.
 */
import type { AgentErrorCode, CheckResult, CheckStatus, ContainerProcess, NodeInfo, SyncOutcome, VersionResponse } from '@kubectl-seccomp/proto';
import type { ProfileDiff, ProfileIssue } from '@kubectl-seccomp/profiles';
import type { FailureKind } from '../services/fanout.js';
import type { TargetVia } from '../targets/types.js';

/** ok: the agent answered; unreachable: no connection or no answer in time; error: the agent answered with an error; no-agent: the node has no agent to ask. */
export type NodeStatus = 'ok' | 'unreachable' | 'error' | 'no-agent';

export interface NodeError {
  kind: FailureKind | 'no-agent';
  /** The agent's error code when it answered with one. */
  code?: AgentErrorCode;
  message: string;
}

/** How a node was reached; "none" for a node without an agent. */
export type NodeVia = TargetVia | 'none';

// ---- lint ----------------------------------------------------------------------------------

export interface LintOutput {
  files: LintFile[];
  summary: { files: number; errors: number; warnings: number; infos: number };
}

export interface LintFile {
  /** The path as given ("-" for stdin). */
  file: string;
  /** Parse/validation errors, or the lint findings when the profile parsed. */
  issues: ProfileIssue[];
}

// ---- version -------------------------------------------------------------------------------

export interface VersionOutput {
  client: ClientVersion;
  /** Each selected node's agent; empty with --client. */
  agents: VersionNode[];
}

export interface ClientVersion {
  version: string;
  /** The Node.js release the CLI runs on, e.g. "24.22.3". */
  nodejsVersion: string;
  /** e.g. "linux-x64" */
  platform: string;
}

export interface VersionNode {
  node: string;
  via: NodeVia;
  endpoint: string;
  status: NodeStatus;
  error?: NodeError;
  /** What the agent answered (status ok). */
  agent?: VersionResponse;
}

// ---- doctor --------------------------------------------------------------------------------

export interface DoctorOutput {
  nodes: DoctorNode[];
  /** Cluster-wide checks (Kubernetes mode only; empty otherwise). */
  cluster: ClusterCheck[];
  summary: DoctorSummary;
}

export interface DoctorNode {
  node: string;
  via: NodeVia;
  /** "HOST:PORT", "pod NAMESPACE/NAME", "local", or "" for no-agent. */
  endpoint: string;
  status: NodeStatus;
  error?: NodeError;
  info?: NodeInfo;
  checks: CheckResult[];
  /** The node's container processes and their effective seccomp mode. */
  containers: ContainerProcess[];
}

export interface ClusterCheck extends CheckResult {
  /** "KIND/NAME" or "KIND/NAMESPACE/NAME". */
  object: string;
}

export interface DoctorSummary {
  /** Check counts over all nodes and the cluster checks. */
  pass: number;
  warn: number;
  fail: number;
  skip: number;
  /** Nodes that could not be checked (status other than ok). */
  unreachable: number;
}

export type { CheckStatus };

// ---- push ----------------------------------------------------------------------------------

export interface PushOutput {
  dryRun: boolean;
  /** The dir under the agent's profile dir the profiles went to ("" for none). */
  prefix: string;
  profiles: PushProfile[];
  nodes: PushNode[];
  summary: PushSummary;
  /**
   * Kubernetes mode: the profiles recorded as ConfigMaps (for nodes that join later); absent otherwise.
   * deleted (with --prune): the paths whose ConfigMaps were removed (with --dry-run: would be).
   */
  recorded?: { ok: boolean; error: string; deleted?: string[] };
}

export interface PushProfile {
  /** The local file (or "catalog:NAME" for the shipped catalog). */
  source: string;
  /** Relative to the agent's profile dir, "/" separated. */
  path: string;
  /** sha256 of the profile as sent before per-node flattening (after --audit/--log-denials). */
  sha256: string;
}

export interface PushNode {
  node: string;
  via: NodeVia;
  endpoint: string;
  status: NodeStatus;
  error?: NodeError;
  info?: NodeInfo;
  results: PushResult[];
  /** E.g. --log-denials on a node whose OCI runtime ignores SECCOMP_FILTER_FLAG_LOG. */
  warnings: string[];
}

export interface PushResult {
  path: string;
  outcome: SyncOutcome;
  /** Of the file on the node (as flattened for it). */
  sha256: string;
  /** "" unless outcome is error. */
  error: string;
  /** Docker-format parts (archMap, includes/excludes, ...) were resolved for this node. */
  flattened: boolean;
  /** The securityContext.seccompProfile.localhostProfile value for this file on this node. */
  localhostProfile: string;
}

export interface PushSummary {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** Files the tool did not write, overwritten with --force and managed from now on. */
  adopted: number;
  error: number;
  /** Nodes that could not be synced (status other than ok). */
  unreachable: number;
}

// ---- diff ----------------------------------------------------------------------------------

/** `diff A B`: per kind of node, what B does differently from A (see ProfileDiff in profiles). */
export interface DiffOutput extends ProfileDiff {
  /** As given: the file, "catalog:NAME" or "node/NAME:PATH". */
  a: string;
  b: string;
}

// ---- bind / unbind -------------------------------------------------------------------------

export interface BindOutput {
  /** "deployment/web". */
  workload: string;
  namespace: string;
  localhostProfile: string;
  /** "" when bound on the pod template (every container without its own profile). */
  container: string;
  dryRun: boolean;
  applied: boolean;
  /** --force applied it although some node was not ready for it. */
  forced: boolean;
  /** The server-side apply configuration (field manager kubectl-seccomp). */
  patch: object;
  /** Every node the pods may be scheduled to, and whether it holds the profile as recorded. */
  nodes: BindNode[];
  /** Nodes the pods cannot be scheduled to, and why. */
  excluded: { node: string; reason: string }[];
}

export interface BindNode {
  node: string;
  status: 'ok' | 'missing' | 'different' | 'invalid' | 'unreachable' | 'no-agent';
  /** The file on the node, relative to its profile dir ("" when missing). */
  path: string;
  sha256: string;
  /** The recorded version's digest as rendered for this node ("" when none is recorded). */
  expected: string;
  /** "" when ok. */
  reason: string;
}

export interface UnbindOutput {
  workload: string;
  namespace: string;
  dryRun: boolean;
  applied: boolean;
  patch: object;
}

// ---- record --------------------------------------------------------------------------------

export interface RecordOutput {
  /** "deployment/web". */
  workload: string;
  namespace: string;
  /** The profile the containers ran with in audit mode: a file, or "catalog:NAME". */
  base: string;
  /** Where the audit-mode base was pushed and bound ("" for a pod, which is recorded as it runs). */
  auditProfile: string;
  /** What ended the recording. */
  stopped: 'duration' | 'idle' | 'interrupted';
  /** From the end of the rollout to the stop. */
  recordedMs: number;
  /** The workload's pods seen while recording (sorted). */
  replicas: string[];
  containers: RecordContainer[];
  events: {
    /** Violations of the workload's pods: what the profiles were made from. */
    attributed: number;
    /** Violations in the namespace no pod could be named for (counted by the agents or shown unnamed): not in any profile. */
    notAttributed: number;
    /** Violations of the namespace's other pods: not recorded. */
    otherPods: number;
  };
  /** The workload's seccompProfile fields are as before the recording. */
  restored: boolean;
  /** --apply: the new profiles were pushed and bound instead. */
  applied: boolean;
}

export interface RecordContainer {
  container: string;
  /** The profile written (WORKLOAD_CONTAINER.json). */
  file: string;
  /** --apply: where it was pushed and bound; "" otherwise. */
  localhostProfile: string;
  /** Syscalls logged that the base did not allow, now allowed (sorted). */
  added: string[];
  /** Logged syscalls the base allowed already. */
  alreadyAllowed: string[];
  /** "ARCH#NR" of calls no name is known for: not in the profile. */
  unnamed: string[];
  /** The workload's pods whose violations went into this profile (sorted). */
  pods: string[];
  notes: string[];
}

// ---- status --------------------------------------------------------------------------------

export interface StatusOutput {
  profiles: StatusProfile[];
  /** Nodes whose agent could not be asked. */
  unreachable: { node: string; reason: string }[];
  summary: {
    profiles: number;
    /** Profiles some node lacks (when recorded) or holds in another version. */
    outOfSync: number;
    containers: number;
    stale: number;
    notFiltered: number;
  };
}

export interface StatusProfile {
  /** What pods put in localhostProfile. */
  localhostProfile: string;
  /** A ConfigMap records it (push): nodes converge on that version. */
  recorded: boolean;
  nodes: StatusNode[];
  /** Containers of live pods whose effective seccompProfile is this one. */
  containers: StatusContainer[];
}

export interface StatusNode {
  node: string;
  /** ok: as recorded (or present, when not recorded); missing; different: another version; invalid: not a profile. */
  status: 'ok' | 'missing' | 'different' | 'invalid';
  path: string;
  sha256: string;
  /** The recorded version's digest for this node ("" when not recorded). */
  expected: string;
  /** When the node's file was last written (ms since the epoch); 0 when missing or unknown. */
  changedUnixMs: number;
}

export interface StatusContainer {
  namespace: string;
  pod: string;
  container: string;
  node: string;
  containerId: string;
  /** RFC 3339; "" when not running. */
  startedAt: string;
  /** Started before the node's copy was last written: it runs an older version until it restarts. */
  stale: boolean;
  /** Its process's seccomp mode on the node ("unknown" when the agent did not find it). */
  mode: 'unknown' | 'disabled' | 'strict' | 'filter';
  /** The spec asks for a profile but the process is not filtered (e.g. privileged). */
  notFiltered: boolean;
}
