import type { CheckResult, CheckStatus, ContainerProcess } from '@kubectl-seccomp/proto';
import type { ClusterCheck, DoctorOutput } from '../output/types.js';
import { nodeLine } from './node-line.js';
import { columns } from './table.js';
import { plural } from './words.js';

const SYMBOL: Record<CheckStatus, string> = { pass: '✓', warn: '!', fail: '✗', skip: '-' };

/** Checks grouped by node (remedies under failing and warning rows), cluster checks, totals. */
export function renderDoctor(out: DoctorOutput): string {
  const blocks = out.nodes.map((n) => {
    const lines = [nodeLine(n)];
    if (n.checks.length > 0) lines.push(checkRows(n.checks));
    if (n.containers.length > 0) lines.push(`  containers: ${containerModes(n.containers)}`);
    return lines.join('\n');
  });
  if (out.cluster.length > 0) blocks.push(`CLUSTER\n${checkRows(out.cluster)}`);
  return [...blocks, totals(out)].join('\n\n');
}

function checkRows(checks: Array<CheckResult | ClusterCheck>): string {
  const rows: string[][] = [];
  for (const c of checks) {
    const id = 'object' in c ? `${c.object} ${c.id}` : c.id;
    rows.push([SYMBOL[c.status], id, c.summary]);
    if ((c.status === 'fail' || c.status === 'warn') && c.remedy) rows.push(['', '', `→ ${c.remedy}`]);
  }
  return columns(rows, 2);
}

function containerModes(containers: ContainerProcess[]): string {
  const counts = new Map<string, number>();
  for (const c of containers) counts.set(c.mode, (counts.get(c.mode) ?? 0) + 1);
  const parts = [...counts].map(([mode, n]) => `${n} ${mode === 'disabled' ? 'unconfined (seccomp disabled)' : mode}`);
  return parts.join(', ');
}

function totals(out: DoctorOutput): string {
  const s = out.summary;
  const checked = `${plural(out.nodes.length - s.unreachable, 'node')} checked: ${s.pass} passed, ${plural(s.warn, 'warning')}, ${s.fail} failed, ${s.skip} skipped`;
  return s.unreachable > 0 ? `${checked}; ${plural(s.unreachable, 'node')} not checked` : checked;
}
