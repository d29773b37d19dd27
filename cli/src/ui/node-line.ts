import type { NodeInfo } from '@kubectl-seccomp/proto';
import type { NodeHeader } from '../services/node-report.js';
import { terminalText } from './terminal-text.js';

/** "NODE worker-1 (pod kubectl-seccomp/agent-x) kernel 6.1 · containerd 1.7 · runc 1.2", or why there is nothing. */
export function nodeLine(n: NodeHeader & { info?: NodeInfo }): string {
  return terminalText(rawNodeLine(n));
}

function rawNodeLine(n: NodeHeader & { info?: NodeInfo }): string {
  const where = n.endpoint && n.endpoint !== n.node ? ` (${n.endpoint})` : '';
  const title = `NODE ${n.node}${where}`;
  if (n.status !== 'ok') return `${title}  ${n.status.toUpperCase()}: ${n.error?.message ?? ''}`;
  return n.info ? `${title}  ${describeNode(n.info)}` : title;
}

function describeNode(info: NodeInfo): string {
  const parts = [
    info.kernelRelease && `kernel ${info.kernelRelease}`,
    info.containerRuntime && `${info.containerRuntime} ${info.containerRuntimeVersion}`.trim(),
    info.ociRuntime && `${info.ociRuntime} ${info.ociRuntimeVersion}`.trim(),
  ];
  return parts.filter(Boolean).join(' · ');
}
