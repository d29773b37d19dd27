export interface RecentKeysOptions {
  /** The most keys kept: memory stays bounded whatever the rate. */
  capacity: number;
  /** How long a key is kept after it was first seen (ms). Default: until capacity pushes it out. */
  windowMs?: number;
  /** Monotonic ms clock; replaceable for tests. */
  now?: () => number;
}

/**
 * The keys seen lately, oldest first: the audit ids of records delivered (to drop their copies from
 * other carriers) and the kernel's loss reports counted (kmsg and journald carry the same lines).
 * A Map keeps insertion order, so the oldest key is always the first one.
 */
export class RecentKeys {
  /** Key -> when it was first seen. */
  private readonly seen = new Map<string, number>();
  private readonly capacity: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(opts: RecentKeysOptions) {
    if (!Number.isInteger(opts.capacity) || opts.capacity < 1) throw new RangeError(`capacity must be an integer >= 1, got ${opts.capacity}`);
    this.capacity = opts.capacity;
    this.windowMs = opts.windowMs ?? Infinity;
    this.now = opts.now ?? (() => performance.now());
  }

  /** Whether a key was seen within the window, without recording a sighting. */
  has(key: string): boolean {
    this.forgetExpired();
    return this.seen.has(key);
  }

  /** True the first time a key is offered within the window (and remembers it), false for its copies. */
  firstSighting(key: string): boolean {
    if (this.has(key)) return false;
    this.seen.set(key, this.now());
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.keys().next().value!);
    return true;
  }

  private forgetExpired(): void {
    if (this.windowMs === Infinity) return;
    const oldest = this.now() - this.windowMs;
    for (const [key, at] of this.seen) {
      if (at > oldest) return;
      this.seen.delete(key);
    }
  }
}
