import { hostname } from 'node:os';
import type { AgentApi } from '@kubectl-seccomp/proto';
import type { AgentHandle, AgentTarget, TargetFlags } from './types.js';

/** The agent package's in-process entry point (--local). */
export interface LocalAgentOptions {
  hostRoot?: string;
  profileDir?: string;
  nodeName?: string;
  sources?: 'auto' | string[];
}
type CreateLocalAgent = (opts: LocalAgentOptions) => Promise<AgentApi & { close(): Promise<void> }>;

async function loadCreateLocalAgent(): Promise<CreateLocalAgent> {
  // Loaded only for --local: the agent's code (checks, store, sources) is not needed to dial agents.
  const mod = (await import('@kubectl-seccomp/agent')) as { createLocalAgent?: CreateLocalAgent };
  if (typeof mod.createLocalAgent !== 'function') {
    throw new Error('--local is not available: this build of @kubectl-seccomp/agent has no createLocalAgent');
  }
  return mod.createLocalAgent;
}

/** This machine, served by the agent's own code in-process. */
export function localTarget(flags: Pick<TargetFlags, 'hostRoot' | 'profileDir'>): AgentTarget {
  const node = hostname();
  return {
    node,
    via: 'local',
    endpoint: 'local',
    async open(): Promise<AgentHandle> {
      const createLocalAgent = await loadCreateLocalAgent();
      const agent = await createLocalAgent({ hostRoot: flags.hostRoot ?? '/', profileDir: flags.profileDir, nodeName: node });
      return { api: agent, close: () => agent.close() };
    },
  };
}
