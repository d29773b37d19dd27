import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { MissingAgent } from '../targets/types.js';

/** How the CLI finds agent pods: the DaemonSet's pod label and the gRPC container port. */
export const AGENT_POD_SELECTOR = 'app.kubernetes.io/name=seccomp-agent';
export const AGENT_PORT_NAME = 'grpc';
export const AGENT_DEFAULT_PORT = 50051;

export interface AgentPodRef {
  node: string;
  namespace: string;
  pod: string;
  port: number;
}

export interface AgentMatch {
  agents: AgentPodRef[];
  missing: MissingAgent[];
}

/**
 * Pure: which selected node has a usable agent pod. Nodes named with --node that do not exist, and
 * nodes whose agent pod is absent or not ready, are reported, never dropped.
 */
export function matchAgents(nodes: V1Node[], pods: V1Pod[], wanted: string[]): AgentMatch {
  const nodeNames = nodes.map((n) => n.metadata?.name ?? '').filter(Boolean);
  const selected = wanted.length > 0 ? wanted : nodeNames;
  const agents: AgentPodRef[] = [];
  const missing: MissingAgent[] = [];
  for (const node of [...new Set(selected)].sort()) {
    if (!nodeNames.includes(node)) {
      missing.push({ node, reason: 'no such node (or it does not match --node-selector)' });
      continue;
    }
    const candidates = pods.filter((p) => p.spec?.nodeName === node && !p.metadata?.deletionTimestamp);
    const ready = candidates.find(isReady);
    if (ready) {
      agents.push({ node, namespace: ready.metadata!.namespace!, pod: ready.metadata!.name!, port: grpcPort(ready) });
    } else if (candidates.length > 0) {
      const p = candidates[0]!;
      missing.push({ node, reason: `agent pod ${p.metadata?.namespace}/${p.metadata?.name} is not ready (${podState(p)})` });
    } else {
      missing.push({ node, reason: 'no agent pod on this node (is the DaemonSet installed and tolerating its taints?)' });
    }
  }
  return { agents, missing };
}

function isReady(p: V1Pod): boolean {
  return p.status?.phase === 'Running' && (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function podState(p: V1Pod): string {
  const waiting = p.status?.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting?.reason;
  return waiting ?? p.status?.phase ?? 'unknown phase';
}

function grpcPort(p: V1Pod): number {
  for (const c of p.spec?.containers ?? []) {
    const port = c.ports?.find((x) => x.name === AGENT_PORT_NAME);
    if (port) return port.containerPort;
  }
  return AGENT_DEFAULT_PORT;
}
