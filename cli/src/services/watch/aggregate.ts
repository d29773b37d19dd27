import type { Violation } from '@kubectl-seccomp/proto';
import { workloadLabel } from './attribution.js';

/** One line of the live table: all violations of one syscall/action by one container on one node. */
export interface AggregateRow {
  key: string;
  node: string;
  namespace: string;
  pod: string;
  container: string;
  /** What the agent knew when it had no names (see attribution.ts). */
  containerId: string;
  podUid: string;
  /** The syscall name, or "ARCH#NR" when the agent could not name it. */
  syscall: string;
  action: string;
  count: number;
  firstSeenMs: number;
  lastSeenMs: number;
  lastComm: string;
  lastPid: number;
}

export const SORTS = ['recent', 'count', 'name'] as const;
export type SortOrder = (typeof SORTS)[number];

export const DEFAULT_MAX_ROWS = 5000;

/** The name a row shows for the syscall; unknown numbers stay distinguishable per arch. */
export function syscallLabel(v: Pick<Violation, 'syscall' | 'syscallNr' | 'arch'>): string {
  if (v.syscall !== '') return v.syscall;
  const arch = v.arch.replace(/^SCMP_ARCH_/, '').toLowerCase() || 'arch?';
  return `${arch}#${v.syscallNr}`;
}

const NAME_FIELDS = ['node', 'namespace', 'pod', 'container', 'syscall', 'action'] as const;

function compareNames(a: AggregateRow, b: AggregateRow): number {
  for (const f of NAME_FIELDS) {
    const c = a[f].localeCompare(b[f]);
    if (c !== 0) return c;
  }
  return 0;
}

const COMPARE: Record<SortOrder, (a: AggregateRow, b: AggregateRow) => number> = {
  recent: (a, b) => b.lastSeenMs - a.lastSeenMs || compareNames(a, b),
  count: (a, b) => b.count - a.count || b.lastSeenMs - a.lastSeenMs || compareNames(a, b),
  name: compareNames,
};

/** True when text (case-insensitive) occurs in any column of the row. */
export function rowMatches(row: AggregateRow, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (needle === '') return true;
  return [row.node, workloadLabel(row), row.container, row.containerId, row.syscall, row.action, row.lastComm, String(row.lastPid)].some((f) =>
    f.toLowerCase().includes(needle),
  );
}

/** rows filtered, sorted (in place when nothing is filtered out) and cut to limit. */
export function viewRows(rows: AggregateRow[], sort: SortOrder, filterText: string, limit: number): AggregateRow[] {
  const out = filterText.trim() === '' ? rows : rows.filter((r) => rowMatches(r, filterText));
  out.sort(COMPARE[sort]);
  return out.length > limit ? out.slice(0, limit) : out;
}

/**
 * Violations aggregated by node/namespace/pod/container/syscall/action. Pure and bounded: beyond maxRows
 * the row that was updated least recently is evicted (and counted), so memory stays flat however long
 * the watch runs.
 */
export class Aggregator {
  /** Insertion order is update order: the first entry is always the least recently seen. */
  private readonly byKey = new Map<string, AggregateRow>();
  private evictedRows = 0;

  constructor(readonly maxRows = DEFAULT_MAX_ROWS) {}

  /** arrivalMs is used when the record carries no time. */
  add(node: string, v: Violation, arrivalMs: number): void {
    const syscall = syscallLabel(v);
    // Without names, the container id keeps containers apart.
    const who = v.pod !== '' ? [v.namespace, v.pod, v.container] : [v.containerId, v.podUid];
    const key = [node, ...who, syscall, v.action].join('\u0000');
    const at = v.timeUnixMs > 0 ? v.timeUnixMs : arrivalMs;
    const row = this.byKey.get(key);
    if (row) {
      this.byKey.delete(key);
      row.count += 1;
      row.firstSeenMs = Math.min(row.firstSeenMs, at);
      row.lastSeenMs = Math.max(row.lastSeenMs, at);
      row.lastComm = v.comm;
      row.lastPid = v.pid;
      this.byKey.set(key, row);
      return;
    }
    this.byKey.set(key, {
      key,
      node,
      namespace: v.namespace,
      pod: v.pod,
      container: v.container,
      containerId: v.containerId,
      podUid: v.podUid,
      syscall,
      action: v.action,
      count: 1,
      firstSeenMs: at,
      lastSeenMs: at,
      lastComm: v.comm,
      lastPid: v.pid,
    });
    if (this.byKey.size > this.maxRows) {
      const oldest = this.byKey.keys().next();
      if (!oldest.done) {
        this.byKey.delete(oldest.value);
        this.evictedRows += 1;
      }
    }
  }

  /** Copies of the rows matching filterText, sorted; at most limit of them. */
  rows(sort: SortOrder = 'recent', filterText = '', limit = Infinity): AggregateRow[] {
    const out: AggregateRow[] = [];
    for (const row of this.byKey.values()) if (rowMatches(row, filterText)) out.push({ ...row });
    return viewRows(out, sort, '', limit);
  }

  clear(): void {
    this.byKey.clear();
    this.evictedRows = 0;
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Rows dropped to stay within maxRows since the last clear. */
  get evicted(): number {
    return this.evictedRows;
  }
}
