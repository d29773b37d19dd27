import type { AgentSpec } from './agent-spec.js';
import type { AgentHandle, AgentTarget, TargetFlags } from './types.js';

/**
 * How long to wait for a connection: an address that does not answer (unroutable, filtered) is
 * reported after this, not after the whole per-node --timeout. A refused one is reported at once.
 */
const CONNECT_TIMEOUT_MS = 5000;

/** A target dialled over gRPC at a known address (--agent). */
export function directTarget(spec: AgentSpec, flags: Pick<TargetFlags, 'tls' | 'timeoutMs'>): AgentTarget {
  return {
    node: spec.node,
    ...(spec.named ? {} : { labelFromAgent: true }),
    via: 'direct',
    endpoint: spec.address,
    async open(): Promise<AgentHandle> {
      // The client alone: the package's index also loads the server side (health service).
      const { createAgentClient } = await import('@kubectl-seccomp/proto/client');
      const client = createAgentClient(spec.address, { tls: flags.tls, connectTimeoutMs: Math.min(flags.timeoutMs, CONNECT_TIMEOUT_MS) });
      return {
        api: client,
        close: async () => client.close(),
      };
    },
  };
}
