/**
 * Events per second over a sliding window, from arrival times. Time is split into fixed buckets so
 * recording is O(1) however many events arrive; the clock is injected.
 */
export class RateMeter {
  private readonly counts: number[];
  private readonly bucketMs: number;
  /** Index (time / bucketMs) of the newest bucket written. */
  private head = -1;
  private readonly startMs: number;

  constructor(
    private readonly now: () => number,
    readonly windowMs = 5000,
    buckets = 50,
  ) {
    this.bucketMs = windowMs / buckets;
    this.counts = new Array<number>(buckets).fill(0);
    this.startMs = now();
  }

  private advance(t: number): number {
    const idx = Math.floor(t / this.bucketMs);
    if (this.head < 0) this.head = idx;
    if (idx > this.head) {
      const steps = Math.min(idx - this.head, this.counts.length);
      for (let i = 1; i <= steps; i++) this.counts[(this.head + i) % this.counts.length] = 0;
      this.head = idx;
    }
    return idx;
  }

  record(n = 1): void {
    const idx = this.advance(this.now());
    this.counts[idx % this.counts.length]! += n;
  }

  /** Events per second; before a full window has passed, over the time elapsed (at least 1 s). */
  perSecond(): number {
    const t = this.now();
    this.advance(t);
    let sum = 0;
    for (const c of this.counts) sum += c;
    const spanMs = Math.min(this.windowMs, Math.max(1000, t - this.startMs));
    return (sum * 1000) / spanMs;
  }
}
