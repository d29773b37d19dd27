import type { ClientVersion, VersionOutput } from '../output/types.js';
import { columns } from './table.js';

/** "kubectl-seccomp 0.1.0 (Node.js 24.22.3, linux-x64)" */
export function clientLine(c: ClientVersion): string {
  return `kubectl-seccomp ${c.version} (Node.js ${c.nodejsVersion}, ${c.platform})`;
}

/** One row per node: the agent's version and Node.js, or why there is none. */
export function renderAgentVersions(out: VersionOutput): string {
  const rows = out.agents.map((a) =>
    a.agent
      ? [a.node, a.agent.agentVersion, a.agent.nodejsVersion, a.agent.platform, a.endpoint]
      : [a.node, `${a.status.toUpperCase()}: ${a.error?.message ?? ''}`, '', '', a.endpoint],
  );
  return columns(rows, 0, ['NODE', 'AGENT', 'NODE.JS', 'PLATFORM', 'ENDPOINT']);
}
