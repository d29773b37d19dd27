import { hostname } from 'node:os';
import type { AgentHandle, AgentTarget, TargetFlags } from './types.js';

/** This machine, served by the agent's own code in-process. */
export function localTarget(flags: Pick<TargetFlags, 'hostRoot' | 'profileDir'>): AgentTarget {
  const node = hostname();
  return {
    node,
    via: 'local',
    endpoint: 'local',
    async open(): Promise<AgentHandle> {
      // Loaded only for --local: the agent's code (checks, store, sources) is not needed to dial agents.
      const { createLocalAgent } = await import('@kubectl-seccomp/agent');
      const agent = await createLocalAgent({ hostRoot: flags.hostRoot ?? '/', profileDir: flags.profileDir, nodeName: node });
      return { api: agent, close: () => agent.close() };
    },
  };
}
