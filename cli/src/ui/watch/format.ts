import type { AggregateRow } from '../../services/watch/aggregate.js';
import { workloadLabel } from '../../services/watch/attribution.js';
import { terminalText } from '../terminal-text.js';

/** "now", "3s ago", "4m ago", "2h ago", "3d ago". */
export function ago(nowMs: number, thenMs: number): string {
  const s = Math.floor((nowMs - thenMs) / 1000);
  if (s < 1) return 'now';
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

export function formatRate(perSec: number): string {
  return perSec >= 100 ? String(Math.round(perSec)) : perSec.toFixed(1);
}

/** "SCMP_ACT_KILL_PROCESS" -> "kill_process": the column is narrow and the prefix is noise. */
export function shortAction(action: string): string {
  return action.replace(/^SCMP_ACT_/, '').toLowerCase() || '?';
}

export function fit(text: string, width: number, alignRight = false): string {
  if (width <= 0) return '';
  text = terminalText(text);
  const t = text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
  return alignRight ? t.padStart(width) : t.padEnd(width);
}

interface Column {
  title: string;
  width: number;
  right?: boolean;
  /** undefined: the cell before this one spills over it (a long label where this column has nothing). */
  cell(row: AggregateRow, nowMs: number): string | undefined;
}

/** What the text columns get when the terminal is wide enough; narrower, they share what is left. */
const PREFERRED = { node: 14, container: 16, syscall: 16, pod: 20 };

/**
 * Columns of the live table sized to the terminal width: ACTION, COUNT (as wide as the largest count)
 * and LAST SEEN keep their width, so a count is never cut; the text columns share the rest, the pod
 * taking what is left over. `wide` (-o wide) adds the last process's COMMAND and PID.
 */
export function tableColumns(totalWidth: number, maxCount = 0, wide = false): Column[] {
  const countWidth = Math.max('COUNT'.length, String(maxCount).length);
  const extra: Column[] = wide
    ? [
        // A comm is at most 15 characters (TASK_COMM_LEN).
        { title: 'COMMAND', width: 15, cell: (r) => r.lastComm },
        { title: 'PID', width: 7, right: true, cell: (r) => String(r.lastPid) },
      ]
    : [];
  const fixed = 12 + countWidth + 9 + extra.reduce((n, c) => n + c.width, 0);
  const gaps = 6 + extra.length;
  const room = Math.max(0, totalWidth - fixed - gaps);
  const wanted = PREFERRED.node + PREFERRED.container + PREFERRED.syscall + PREFERRED.pod;
  const share = (n: number, min: number) => (room >= wanted ? n : Math.max(min, Math.floor((room * n) / wanted)));
  const node = share(PREFERRED.node, 4);
  const container = share(PREFERRED.container, 4);
  const syscall = share(PREFERRED.syscall, 6);
  const pod = Math.max(6, room - node - container - syscall);
  return [
    { title: 'NODE', width: node, cell: (r) => r.node },
    { title: 'NAMESPACE/POD', width: pod, cell: (r) => workloadLabel(r) },
    // Without a container name the workload label (container id, or "exited before...") takes this column too.
    { title: 'CONTAINER', width: container, cell: (r) => r.container || undefined },
    { title: 'SYSCALL', width: syscall, cell: (r) => r.syscall },
    { title: 'ACTION', width: 12, cell: (r) => shortAction(r.action) },
    ...extra,
    { title: 'COUNT', width: countWidth, right: true, cell: (r) => String(r.count) },
    { title: 'LAST SEEN', width: 9, right: true, cell: (r, now) => ago(now, r.lastSeenMs) },
  ];
}

export function formatHeaderRow(cols: Column[]): string {
  return cols.map((c) => fit(c.title, c.width, c.right)).join(' ');
}

export function formatRow(cols: Column[], row: AggregateRow, nowMs: number): string {
  const out: string[] = [];
  cols.forEach((c, i) => {
    const text = c.cell(row, nowMs);
    if (text === undefined) return;
    let width = c.width;
    for (let j = i + 1; j < cols.length && cols[j]!.cell(row, nowMs) === undefined; j++) width += cols[j]!.width + 1;
    out.push(fit(text, width, c.right));
  });
  return out.join(' ');
}
