import { AgentError, type LossReason, type SourceStats, type StreamStats, type Violation, type WatchEvent } from '@kubectl-seccomp/proto';
import { BoundedQueue } from './bounded-queue.js';
import type { ViolationPredicate } from './filter.js';
import { lossesBetween } from './loss-ledger.js';

/** What every stream's stats share: the sources' counters now. */
export interface SourcesSnapshot {
  sources: SourceStats[];
  /** Losses counted for streams since the pipeline started, by reason. */
  losses: ReadonlyMap<LossReason, number>;
}

export interface SubscribeOptions {
  predicate: ViolationPredicate;
  maxQueue: number;
  statsIntervalMs: number;
  /** Past violations to send before live ones; the predicate applies to them too. */
  replay: readonly Violation[];
  /** Losses dated within the replayed time: this stream counts them as its own. */
  replayLosses?: ReadonlyMap<LossReason, number>;
  /** A violation the predicate rejected only because nothing names its pod: counted, not sent. */
  unplaceable?: ViolationPredicate;
  signal?: AbortSignal;
}

export interface FanoutHooks {
  snapshot: () => SourcesSnapshot;
  /** The agent's node name, in every stats event. */
  nodeName?: string;
  /** The number of watchers changed. */
  onClients?: (count: number) => void;
  /** A slow watcher lost its oldest queued event. */
  onDropped?: () => void;
  now?: () => number;
  /** Watch streams at once; one more is refused with resource-exhausted. Default DEFAULT_MAX_STREAMS. */
  maxStreams?: number;
  /** Events queued across all watchers; past it a watcher makes room by dropping its own oldest. */
  maxQueuedTotal?: number;
}

/** See docs/performance.md for the memory these defaults allow against the DaemonSet's limit. */
export const DEFAULT_MAX_STREAMS = 64;
export const DEFAULT_MAX_QUEUED_TOTAL = 65536;

/** The queued events of every watcher, counted against one budget. */
export interface QueueBudget {
  /** True when one more event may be queued (and counts it). */
  take(): boolean;
  give(count?: number): void;
}

/** Hands every violation to every watcher, each through its own filter and bounded queue. */
export class ViolationBroadcast {
  private readonly subscribers = new Set<Subscription>();

  private readonly now: () => number;
  private queued = 0;
  private readonly budget: QueueBudget;

  constructor(private readonly hooks: FanoutHooks) {
    this.now = hooks.now ?? Date.now;
    const max = hooks.maxQueuedTotal ?? DEFAULT_MAX_QUEUED_TOTAL;
    this.budget = {
      take: () => this.queued < max && ++this.queued > 0,
      give: (count = 1) => {
        this.queued -= count;
      },
    };
  }

  /** Events waiting in watchers' queues now. */
  get queuedEvents(): number {
    return this.queued;
  }

  get clients(): number {
    return this.subscribers.size;
  }

  publish(v: Violation): void {
    for (const s of this.subscribers) s.offer(v);
  }

  subscribe(opts: SubscribeOptions): AsyncIterable<WatchEvent> {
    const max = this.hooks.maxStreams ?? DEFAULT_MAX_STREAMS;
    if (this.subscribers.size >= max) throw new AgentError('resource-exhausted', `this agent serves at most ${max} watch streams at once`);
    const sub = new Subscription(opts, this.budget, this.hooks.snapshot, this.hooks.nodeName ?? '', this.now, this.hooks.onDropped, (s) => {
      this.subscribers.delete(s);
      this.hooks.onClients?.(this.subscribers.size);
    });
    if (!sub.ended) {
      this.subscribers.add(sub);
      this.hooks.onClients?.(this.subscribers.size);
    }
    return sub;
  }

  /** Ends every stream (the pipeline stops). */
  close(): void {
    for (const s of [...this.subscribers]) s.end();
  }
}

/**
 * One watcher. A reader too slow for its queue loses the oldest events; the count is in every later
 * stats event. Stats are computed when they are read, so they are never stale nor queued.
 */
class Subscription implements AsyncIterable<WatchEvent> {
  ended = false;
  private readonly queue: BoundedQueue<Violation>;
  private readonly replay: Violation[];
  private seen = 0;
  private dropped = 0;
  private unattributed = 0;
  private readonly lostBaseline: Map<LossReason, number>;
  private statsDue = true;
  private readonly timer: NodeJS.Timeout;
  private wake: (() => void) | undefined;
  private readonly onAbort = (): void => this.end();

  constructor(
    private readonly opts: SubscribeOptions,
    private readonly budget: QueueBudget,
    private readonly snapshot: () => SourcesSnapshot,
    private readonly nodeName: string,
    private readonly now: () => number,
    private readonly onDropped: (() => void) | undefined,
    private readonly onEnd: (s: Subscription) => void,
  ) {
    this.queue = new BoundedQueue(opts.maxQueue);
    this.replay = opts.replay.filter((v) => this.accepts(v));
    this.seen = this.replay.length;
    this.lostBaseline = new Map(snapshot().losses);
    for (const [reason, count] of opts.replayLosses ?? []) this.lostBaseline.set(reason, (this.lostBaseline.get(reason) ?? 0) - count);
    this.timer = setInterval(() => {
      this.statsDue = true;
      this.notify();
    }, opts.statsIntervalMs);
    this.timer.unref();
    if (opts.signal?.aborted) this.end();
    else opts.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  offer(v: Violation): void {
    if (!this.accepts(v)) return;
    this.seen++;
    // Over the shared budget: make room in this queue, or lose the event when it is empty.
    const dropOwn = !this.budget.take();
    if (dropOwn && this.queue.length === 0) {
      this.drop();
      return;
    }
    if (dropOwn) this.queue.shift();
    if (this.queue.push(v) || dropOwn) {
      if (!dropOwn) this.budget.give();
      this.drop();
    }
    this.notify();
  }

  private drop(): void {
    this.dropped++;
    this.onDropped?.();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.budget.give(this.queue.length);
    while (this.queue.shift() !== undefined);
    clearInterval(this.timer);
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    this.onEnd(this);
    this.notify();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    try {
      let replayed = 0;
      while (!this.ended) {
        if (this.statsDue) {
          this.statsDue = false;
          yield { kind: 'stats', stats: this.stats() };
        } else if (replayed < this.replay.length) {
          yield { kind: 'violation', violation: this.replay[replayed++]! };
        } else if (this.queue.length > 0) {
          const violation = this.queue.shift()!;
          this.budget.give();
          yield { kind: 'violation', violation };
        } else {
          await new Promise<void>((resolve) => (this.wake = resolve));
        }
      }
    } finally {
      this.end();
    }
  }

  private accepts(v: Violation): boolean {
    if (this.opts.predicate(v)) return true;
    if (this.opts.unplaceable?.(v)) this.unattributed++;
    return false;
  }

  private stats(): StreamStats {
    const { sources, losses: totals } = this.snapshot();
    const losses = lossesBetween(totals, this.lostBaseline);
    return {
      seen: this.seen,
      dropped: this.dropped,
      lost: losses.reduce((n, l) => n + l.count, 0),
      sources,
      timeUnixMs: this.now(),
      nodeName: this.nodeName,
      losses,
      unattributed: this.unattributed,
    };
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
