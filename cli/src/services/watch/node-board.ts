import type { LossCount, SourceStats, StreamStats } from '@kubectl-seccomp/proto';
import type { ConnState, WatchUpdate } from './types.js';

export interface NodeTotals {
  /** Violations received from this node (after de-duplication). */
  violations: number;
  /** The agents' counters summed over every stream of this session (they restart with each stream). */
  seen: number;
  dropped: number;
  lost: number;
  /** `lost` by reason. */
  losses: LossCount[];
  /** Violations the agent's filter could not place (no pod known), counted and not sent. */
  unattributed: number;
}

export interface NodeStreamStatus extends NodeTotals {
  node: string;
  state: ConnState;
  /** Source health as last reported by the current stream. */
  sources: SourceStats[];
  reconnects: number;
  /** A stream of this node worked at least once. */
  streamed: boolean;
  /** The last connection error, "" when none. */
  lastError: string;
  /** Since when the node has not been streaming (reconnecting or failed), ms since the epoch; undefined when it is not down. */
  downSinceMs?: number;
}

const ZERO: StreamStats = { seen: 0, dropped: 0, lost: 0, sources: [], timeUnixMs: 0, nodeName: '', losses: [], unattributed: 0 };

interface Totals {
  seen: number;
  dropped: number;
  unattributed: number;
  losses: Map<string, number>;
}

function addLosses(into: Map<string, number>, losses: readonly LossCount[]): Map<string, number> {
  const out = new Map(into);
  for (const l of losses) out.set(l.reason, (out.get(l.reason) ?? 0) + l.count);
  return out;
}

interface Entry {
  node: string;
  state: ConnState;
  violations: number;
  /** Streams that have started; every one after the first is a reconnect. */
  streams: number;
  lastError: string;
  downSinceMs?: number;
  /** Violations -l could not place (the agents' own are in their stats). */
  unplaced: number;
  /** Totals of the streams that have ended. */
  past: Totals;
  current: StreamStats;
}

/** Connection state and stats per node, from the merged updates. Pure. */
export class NodeBoard {
  private readonly entries = new Map<string, Entry>();

  /** `now` dates when a node went down (the header says for how long). */
  constructor(
    nodes: readonly string[],
    private readonly now: () => number = Date.now,
  ) {
    for (const node of nodes) this.entry(node);
  }

  private entry(node: string): Entry {
    let e = this.entries.get(node);
    if (!e) {
      e = {
        node,
        state: { phase: 'connecting', attempt: 1 },
        violations: 0,
        streams: 0,
        lastError: '',
        unplaced: 0,
        past: { seen: 0, dropped: 0, unattributed: 0, losses: new Map() },
        current: ZERO,
      };
      this.entries.set(node, e);
    }
    return e;
  }

  apply(update: WatchUpdate): void {
    if (update.kind === 'named') {
      this.rename(update.node, update.name);
      return;
    }
    const e = this.entry(update.node);
    switch (update.kind) {
      case 'violation':
        e.violations += 1;
        return;
      case 'unplaced':
        e.unplaced += 1;
        return;
      case 'stats':
        e.current = update.stats;
        return;
      case 'state':
        if (update.state.phase === 'streaming') {
          e.streams += 1;
          e.past = {
            seen: e.past.seen + e.current.seen,
            dropped: e.past.dropped + e.current.dropped,
            unattributed: e.past.unattributed + e.current.unattributed,
            losses: addLosses(e.past.losses, lossesOf(e.current)),
          };
          e.current = { ...ZERO, sources: e.current.sources };
        }
        if (update.state.phase === 'reconnecting' || update.state.phase === 'failed') {
          e.lastError = update.state.error;
          // Down since the first failure: retries do not restart the clock.
          e.downSinceMs ??= this.now();
        }
        // A new attempt (connecting) is still down; only a stream (or the end) is not.
        if (update.state.phase === 'streaming' || update.state.phase === 'stopped') e.downSinceMs = undefined;
        e.state = update.state;
        return;
    }
  }

  list(): NodeStreamStatus[] {
    return [...this.entries.values()].map((e) => {
      const losses = [...addLosses(e.past.losses, lossesOf(e.current))].map(([reason, count]) => ({ reason, count }));
      return {
        node: e.node,
        state: e.state,
        sources: e.current.sources,
        reconnects: Math.max(0, e.streams - 1),
        streamed: e.streams > 0,
        lastError: e.lastError,
        downSinceMs: e.downSinceMs,
        violations: e.violations,
        seen: e.past.seen + e.current.seen,
        dropped: e.past.dropped + e.current.dropped,
        lost: losses.reduce((n, l) => n + l.count, 0),
        losses,
        unattributed: e.past.unattributed + e.current.unattributed + e.unplaced,
      };
    });
  }

  /** The entry keeps its place in the list (the header's order) under its new label. */
  private rename(from: string, to: string): void {
    const e = this.entries.get(from);
    if (!e || this.entries.has(to)) return;
    const renamed = [...this.entries].map(([key, value]): [string, Entry] => (key === from ? [to, { ...value, node: to }] : [key, value]));
    this.entries.clear();
    for (const [key, value] of renamed) this.entries.set(key, value);
  }

  /** Nodes that are streaming now. */
  connected(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.state.phase === 'streaming') n += 1;
    return n;
  }

  /** True once no node can produce events any more (all failed or stopped). */
  allDone(): boolean {
    for (const e of this.entries.values()) if (e.state.phase !== 'failed' && e.state.phase !== 'stopped') return false;
    return this.entries.size > 0;
  }
}

/** An older agent sends `lost` without reasons: it counts as "unspecified". */
function lossesOf(s: StreamStats): LossCount[] {
  const named = s.losses.reduce((n, l) => n + l.count, 0);
  return named < s.lost ? [...s.losses, { reason: 'unspecified', count: s.lost - named }] : s.losses;
}
