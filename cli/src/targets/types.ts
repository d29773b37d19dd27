import type { AgentApi } from '@kubectl-seccomp/proto';

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
  local: boolean;
  kubeconfig?: string;
  context?: string;
  node: string[];
  selector?: string;
  agentNamespace: string;
  hostRoot?: string;
  profileDir?: string;
  timeoutMs: number;
}

export interface TargetSet {
  targets: AgentTarget[];
  missing: MissingAgent[];
  /** Releases everything resolving opened (port-forward listeners, in-process agent). */
  close(): Promise<void>;
}
