export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  now: () => Date.now(),
};

/**
 * Turns any number of invalidations into at most one frame per minIntervalMs, so thousands of events
 * per second cost a handful of renders; with nothing new it still ticks every idleMs ("3s ago" moves).
 */
export class FrameScheduler {
  private readonly listeners = new Set<() => void>();
  private timer: unknown;
  private soon = false;
  private lastFrameMs = -Infinity;
  private stopped = false;
  framesEmitted = 0;

  constructor(
    readonly minIntervalMs = 100,
    readonly idleMs = 1000,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Arrow properties: React's useSyncExternalStore takes them unbound. */
  readonly subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    if (this.timer === undefined && !this.stopped) this.schedule(this.idleMs, false);
    return () => void this.listeners.delete(fn);
  };

  /** The number of frames so far: the store's snapshot. */
  readonly current = (): number => this.framesEmitted;

  /** Something changed: a frame comes within minIntervalMs. */
  invalidate(): void {
    if (this.stopped || this.soon) return;
    const wait = Math.max(0, this.lastFrameMs + this.minIntervalMs - this.timers.now());
    this.schedule(wait, true);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  private schedule(ms: number, soon: boolean): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.soon = soon;
    this.timer = this.timers.setTimeout(() => this.emit(), ms);
  }

  private emit(): void {
    this.timer = undefined;
    this.soon = false;
    if (this.stopped) return;
    this.lastFrameMs = this.timers.now();
    this.framesEmitted += 1;
    for (const fn of this.listeners) fn();
    if (!this.stopped && this.timer === undefined) this.schedule(this.idleMs, false);
  }
}
