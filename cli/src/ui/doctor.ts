import type { CheckResult, CheckStatus, ContainerProcess, NodeInfo } from '@kubectl-seccomp/proto';
import type { ClusterCheck, DoctorOutput } from '../output/types.js';
import { hanging, padTo, stringWidth } from './hanging.js';
import { nodeLine } from './node-line.js';
import { columns } from './table.js';
import { terminalText } from './terminal-text.js';
import { palette, type Terminal } from './terminal.js';
import { plural } from './words.js';

/** -o wide: every check's detail, the node's architectures and agent, and every container, not only the why of what went wrong. */
export interface DoctorView extends Terminal {
  wide: boolean;
}

const SYMBOL: Record<CheckStatus, string> = { pass: '✓', warn: '!', fail: '✗', skip: '-' };

/** Where each check is explained: one section per check id. */
export const checkDocs = (id: string): string => `docs/checks.md#${id}`;

interface Row {
  status: CheckStatus;
  /** The check's own id; `id` is what the row shows (with the object of a cluster check). */
  checkId: string;
  id: string;
  summary: string;
  detail: string;
  remedy: string;
}

/** Checks grouped by node (the why and the fix under failing and warning rows), cluster checks, totals. */
export function renderDoctor(out: DoctorOutput, view: DoctorView = { color: false, wide: false }): string {
  const blocks = out.nodes.map((n) => {
    const lines = [nodeLine(n)];
    if (view.wide && n.info) lines.push(hanging('  ', terminalText(nodeFacts(n.info)), view.width));
    if (n.checks.length > 0) lines.push(checkRows(n.checks.map(toRow), view));
    if (n.containers.length > 0) lines.push(view.wide ? containerTable(n.containers) : `  containers: ${containerModes(n.containers)}`);
    return lines.join('\n');
  });
  if (out.cluster.length > 0) blocks.push(`CLUSTER\n${checkRows(out.cluster.map(toRow), view)}`);
  return [...blocks, totals(out)].join('\n\n');
}

/** Every text of a check comes from an agent or the API server: escaped before it reaches the terminal. */
const toRow = (c: CheckResult | ClusterCheck): Row => ({
  status: c.status,
  checkId: terminalText(c.id),
  id: terminalText('object' in c ? `${c.object} ${c.id}` : c.id),
  summary: terminalText(c.summary),
  detail: terminalText(c.detail),
  remedy: terminalText(c.remedy),
});

function checkRows(checks: Row[], view: DoctorView): string {
  const paint = palette(view);
  const colour: Record<CheckStatus, (s: string) => string> = { pass: paint.green, warn: paint.yellow, fail: paint.red, skip: paint.dim };
  const rows = collapseSkips(checks);
  const idWidth = Math.max(...rows.filter((r) => !r.collapsed).map((r) => stringWidth(r.id)));
  const lines: string[] = [];
  for (const r of rows) {
    const symbol = colour[r.status](SYMBOL[r.status]);
    if (r.collapsed) {
      lines.push(hanging(`  ${symbol}  `, paint.dim(`${r.id}: skipped, ${r.summary}`), view.width));
      continue;
    }
    const lead = `  ${symbol}  ${padTo(r.id, idWidth)}  `;
    lines.push(hanging(lead, r.summary, view.width));
    // Under the summary: why it matters, then what to do.
    const under = ' '.repeat(stringWidth(lead));
    const explain = r.status === 'warn' || r.status === 'fail' || view.wide;
    if (explain && r.detail) lines.push(hanging(under, paint.dim(r.detail), view.width));
    if ((r.status === 'warn' || r.status === 'fail') && r.remedy) lines.push(hanging(`${under}→ `, r.remedy, view.width));
    if (r.status === 'warn' || r.status === 'fail') lines.push(`${under}${paint.dim(checkDocs(r.checkId))}`);
  }
  return lines.join('\n');
}

/** Skips that share a reason ("no kubelet found" five times) as one line naming them all. */
function collapseSkips(checks: Row[]): Array<Row & { collapsed: boolean }> {
  const skipsByReason = new Map<string, Row[]>();
  for (const c of checks) if (c.status === 'skip') skipsByReason.set(c.summary, [...(skipsByReason.get(c.summary) ?? []), c]);
  const rows: Array<Row & { collapsed: boolean }> = [];
  for (const c of checks) {
    const same = c.status === 'skip' ? skipsByReason.get(c.summary)! : [c];
    if (same.length === 1) rows.push({ ...c, collapsed: false });
    else if (same[0] === c) rows.push({ ...c, id: same.map((s) => s.id).join(', '), collapsed: true });
  }
  return rows;
}

/** -o wide: what the node line leaves out (architectures, agent, where profiles go). */
function nodeFacts(info: NodeInfo): string {
  const parts = [
    `arch ${info.machine}${info.architectures.length ? ` (${info.architectures.join(', ')})` : ''}`,
    info.agentVersion && `agent ${info.agentVersion}`,
    info.profileDir && `profile dir ${info.profileDir}`,
    info.kubeletRootDir && `kubelet root ${info.kubeletRootDir}`,
  ];
  return parts.filter(Boolean).join(' · ');
}

function containerTable(containers: ContainerProcess[]): string {
  const rows = containers.map((c) => [c.containerId.slice(0, 12), c.podUid, String(c.pid), c.comm, c.mode, String(c.filters)]);
  return columns(rows, 2, ['CONTAINER', 'POD UID', 'PID', 'COMMAND', 'SECCOMP', 'FILTERS']);
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
