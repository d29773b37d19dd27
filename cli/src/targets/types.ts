import type { AgentApi, CheckResult } from '@kubectl-seccomp/proto';
import type { ProfileReference } from '../services/references.js';

/** How the CLI reached an agent: in-process (--local), dialled (--agent), or through the API server. */
export type TargetVia = 'local' | 'direct' | 'port-forward';

/** An open connection to one node's agent. */
export interface AgentHandle {
  readonly api: AgentApi;
  close(): Promise<void>;
}

/** One node the command will talk to; opening may fail (the node is then reported, never skipped). */
export interface AgentTarget {
  readonly node: string;
  /** `node` is only the address (--agent HOST:PORT): output is labelled with the name the agent reports. */
  readonly labelFromAgent?: boolean;
  readonly via: TargetVia;
  /** Where: "HOST:PORT", "pod NAMESPACE/NAME", or "local". */
  readonly endpoint: string;
  open(signal?: AbortSignal): Promise<AgentHandle>;
}

/** A selected node that has no agent to talk to (no pod, pod not running, ...). */
export interface MissingAgent {
  node: string;
  reason: string;
}

export interface TargetFlags {
  agent: string[];
  /** --agents-file: more --agent values, one per line, from a file or stdin ("-"). */
  agentsFile?: string;
  local: boolean;
  kubeconfig?: string;
  context?: string;
  node: string[];
  selector?: string;
  agentNamespace: string;
  hostRoot?: string;
  profileDir?: string;
  timeoutMs: number;
  /** --tls-ca/--tls-cert/--tls-key, for --agent. */
  tls?: { ca?: string; cert?: string; key?: string };
}

/** A cluster-wide doctor finding about one Kubernetes object. */
export interface ClusterFinding extends CheckResult {
  /** "KIND/NAME" or "KIND/NAMESPACE/NAME", e.g. "node/worker-1", "namespace/default". */
  object: string;
}

/** What doctor learnt of one node's agent: why none answered, or the checks it reported. */
export type AgentReport = { node: string; problem: string } | { node: string; checks: CheckResult[] };

/** One profile as push wants it everywhere, before per-node flattening. */
export interface DesiredProfile {
  /** Relative to the profile dir, "/" separated (what the agent stores). */
  path: string;
  /** The profile as JSON text (serializeProfile), after --audit/--log-denials. */
  text: string;
  sha256: string;
}

export interface RecordDesiredOptions {
  prune: boolean;
  dryRun: boolean;
  signal?: AbortSignal;
}

export interface TargetSet {
  targets: AgentTarget[];
  missing: MissingAgent[];
  /** Releases everything resolving opened (port-forward listeners, in-process agent). */
  close(): Promise<void>;
  /** Kubernetes mode: cluster-wide checks for doctor (absent elsewhere); `agents`: what the node checks found. */
  clusterChecks?(signal?: AbortSignal, agents?: Promise<AgentReport[]>): Promise<ClusterFinding[]>;
  /** Kubernetes mode: record the desired profiles (ConfigMaps) before push syncs the nodes; the paths pruned. */
  recordDesired?(profiles: DesiredProfile[], opts: RecordDesiredOptions): Promise<{ deleted: string[] }>;
  /** Kubernetes mode: the containers of every live pod in the cluster that use a Localhost profile. */
  profileReferences?(signal?: AbortSignal): Promise<ProfileReference[]>;
}

/** What resolveTargets (and the Kubernetes resolver, resolveKubeTargets) get besides the flags. */
export interface ResolveOptions {
  signal?: AbortSignal;
  /** Diagnostics for --verbose (stderr); a no-op otherwise. */
  log(message: string): void;
}
