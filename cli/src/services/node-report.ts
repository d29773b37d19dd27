import type { NodeInfo } from '@kubectl-seccomp/proto';
import type { MissingAgent } from '../targets/types.js';
import type { NodeError, NodeStatus, NodeVia } from '../output/types.js';
import type { NodeFailure, NodeOutcome } from './fanout.js';

/** The fields every per-node report starts with. */
export interface NodeHeader {
  node: string;
  via: NodeVia;
  endpoint: string;
  status: NodeStatus;
  error?: NodeError;
}

/** `info`: what the agent said it is; its node name labels a node that was given only as an address. */
export function nodeHeader(outcome: NodeOutcome<unknown>, info?: NodeInfo): NodeHeader {
  const { via, endpoint } = outcome;
  const node = outcome.labelFromAgent && info?.nodeName ? info.nodeName : outcome.node;
  if (outcome.ok) return { node, via, endpoint, status: 'ok' };
  return { node, via, endpoint, status: statusOf(outcome.failure), error: { ...outcome.failure } };
}

export function missingHeader(missing: MissingAgent): NodeHeader {
  return { node: missing.node, via: 'none', endpoint: '', status: 'no-agent', error: { kind: 'no-agent', message: missing.reason } };
}

function statusOf(failure: NodeFailure): NodeStatus {
  return failure.kind === 'agent-error' || failure.kind === 'error' ? 'error' : 'unreachable';
}
