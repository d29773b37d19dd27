import type { AgentSpec } from './agent-spec.js';
import type { AgentHandle, AgentTarget, TargetFlags } from './types.js';

/** A target dialled over gRPC at a known address (--agent). */
export function directTarget(spec: AgentSpec, flags: Pick<TargetFlags, 'tls' | 'timeoutMs'>): AgentTarget {
  return {
    node: spec.node,
    via: 'direct',
    endpoint: spec.address,
    async open(): Promise<AgentHandle> {
      const { createAgentClient } = await import('@kubectl-seccomp/proto');
      const client = createAgentClient(spec.address, { tls: flags.tls, connectTimeoutMs: flags.timeoutMs });
      return {
        api: client,
        close: async () => client.close(),
      };
    },
  };
}
