import { READINESS_TAINT_FLAG } from '@kubectl-seccomp/proto';
import type { InstallReport, ObjectResult, UninstallReport } from '../services/install/types.js';
import { plural } from './words.js';

/** How to turn the readiness gate on: the kubelet's side, which install cannot do. */
export const READINESS_HINT = `Readiness gate: register new nodes with the kubelet flag ${READINESS_TAINT_FLAG} (or registerWithTaints in the KubeletConfiguration) and pods are scheduled there only once the agent has written every recorded profile (docs/deployment.md).`;

export function renderInstall(r: InstallReport): string {
  const lines = [`${plural(r.objects.length, 'object')} applied to namespace ${r.namespace} (image ${r.image})`, ...r.objects.map(objectLine)];
  if (!r.rollout) {
    lines.push('', 'not waiting for the rollout (--no-wait): `kubectl seccomp doctor` shows which nodes have an agent', '', READINESS_HINT);
    return lines.join('\n');
  }
  const { available, desired } = r.rollout;
  lines.push('', r.rollout.complete ? `agent ready on ${available}/${desired} nodes` : `agent NOT ready on every node: ${available}/${desired} available`);
  for (const m of r.notReady) lines.push(`  ${m.node}: ${m.reason}`);
  lines.push('', READINESS_HINT);
  return lines.join('\n');
}

export function renderUninstall(r: UninstallReport): string {
  return [
    ...r.objects.map(objectLine),
    '',
    'Profile files the agent wrote stay on the nodes (<kubelet root-dir>/seccomp/kubectl-seccomp/): pods that use them keep starting.',
  ].join('\n');
}

function objectLine(o: ObjectResult): string {
  return `  ${o.action.padEnd(8)} ${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}
