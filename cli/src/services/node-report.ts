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

export function nodeHeader(outcome: NodeOutcome<unknown>): NodeHeader {
  const { node, via, endpoint } = outcome;
  if (outcome.ok) return { node, via, endpoint, status: 'ok' };
  return { node, via, endpoint, status: statusOf(outcome.failure), error: { ...outcome.failure } };
}

export function missingHeader(missing: MissingAgent): NodeHeader {
  return { node: missing.node, via: 'none', endpoint: '', status: 'no-agent', error: { kind: 'no-agent', message: missing.reason } };
}

function statusOf(failure: NodeFailure): NodeStatus {
  return failure.kind === 'agent-error' || failure.kind === 'error' ? 'error' : 'unreachable';
}
