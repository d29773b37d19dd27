import type { ViolationFilter } from '@kubectl-seccomp/proto';
import { ObservedSyscalls } from '../suggest/observed.js';
import { Aggregator, DEFAULT_MAX_ROWS } from './aggregate.js';
import { attributionOf } from './attribution.js';
import type { AggregateRow, SortOrder } from './aggregate.js';
import { describeFilter } from './filter.js';
import { NodeBoard } from './node-board.js';
import type { NodeStreamStatus } from './node-board.js';
import { RateMeter } from './rate.js';
import type { WatchUpdate } from './types.js';

export interface SessionOptions {
  nodes: readonly string[];
  filter: ViolationFilter;
  /** -l: shown with the agents' filter (the CLI applies it). */
  podSelector?: string;
  maxRows?: number;
  /** ms since the epoch; injected by tests. */
  now?: () => number;
}

export interface WatchSummary {
  nodes: NodeStreamStatus[];
  connected: number;
  total: number;
  eventsPerSec: number;
  dropped: number;
  lost: number;
  /** Violations shown whose process exited before it could be named. */
  unnamed: number;
  /** Violations the agents' pod filter could not place (no pod known): counted there, not shown. */
  unplaced: number;
  filter: string;
  rowCount: number;
  maxRows: number;
  evicted: number;
  nowMs: number;
}

export interface ViewQuery {
  sort: SortOrder;
  filterText: string;
  limit: number;
}

/**
 * Everything the live view shows, fed by the merged node stream. Pure state plus an injected clock:
 * ingesting is O(1) per event, the (sorting) snapshot is taken only when the view redraws.
 */
export class WatchSession {
  readonly board: NodeBoard;
  readonly aggregator: Aggregator;
  readonly observed = new ObservedSyscalls();
  private readonly rate: RateMeter;
  private readonly now: () => number;
  private readonly filterText: string;
  private totalViolations = 0;
  private unnamedViolations = 0;

  constructor(opts: SessionOptions) {
    this.now = opts.now ?? Date.now;
    this.board = new NodeBoard(opts.nodes, this.now);
    this.aggregator = new Aggregator(opts.maxRows ?? DEFAULT_MAX_ROWS);
    this.rate = new RateMeter(this.now);
    this.filterText = [describeFilter(opts.filter), opts.podSelector === undefined ? '' : `pods -l ${opts.podSelector}`].filter(Boolean).join(' ');
  }

  ingest(update: WatchUpdate): void {
    this.board.apply(update);
    if (update.kind !== 'violation') return;
    this.totalViolations += 1;
    if (attributionOf(update.violation) === 'unnamed') this.unnamedViolations += 1;
    this.rate.record();
    this.aggregator.add(update.node, update.violation, this.now());
    this.observed.add(update.violation);
  }

  /** Empties the table (the `c` key); totals and what --suggest writes are kept. */
  clearRows(): void {
    this.aggregator.clear();
  }

  get total(): number {
    return this.totalViolations;
  }

  summary(): WatchSummary {
    const nodes = this.board.list();
    return {
      nodes,
      connected: this.board.connected(),
      total: this.totalViolations,
      eventsPerSec: this.rate.perSecond(),
      dropped: nodes.reduce((n, s) => n + s.dropped, 0),
      lost: nodes.reduce((n, s) => n + s.lost, 0),
      unnamed: this.unnamedViolations,
      unplaced: nodes.reduce((n, s) => n + s.unattributed, 0),
      filter: this.filterText,
      rowCount: this.aggregator.size,
      maxRows: this.aggregator.maxRows,
      evicted: this.aggregator.evicted,
      nowMs: this.now(),
    };
  }

  rows(q: ViewQuery): AggregateRow[] {
    return this.aggregator.rows(q.sort, q.filterText, q.limit);
  }
}
