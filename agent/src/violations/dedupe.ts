/**
 * The audit ids seen lately, to drop the copies of one record that arrive through several sources
 * (kmsg, journald's kernel and audit transports). An audit id is SECONDS.MILLIS:SERIAL; the serial
 * alone is unique until it wraps or the node reboots, and the time tells those apart. Keys are kept as
 * numbers, not id strings: this runs for every record, and retained strings cost the GC dearly.
 * Memory is bounded: a ring of the last `capacity` ids.
 */
export class RecentIds {
  private readonly serials: Float64Array;
  private readonly times: Float64Array;
  /** serial -> time of its latest sighting */
  private readonly present = new Map<number, number>();
  private next = 0;
  private filled = 0;

  constructor(readonly capacity = 65536) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`dedupe capacity must be >= 1, got ${capacity}`);
    this.serials = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
  }

  /** Whether an id is in the window, without recording a sighting. */
  has(serial: number, timeUnixMs: number): boolean {
    return this.present.get(serial) === timeUnixMs;
  }

  /** True the first time an id is offered (within the window), false for its copies. */
  firstSighting(serial: number, timeUnixMs: number): boolean {
    if (this.present.get(serial) === timeUnixMs) return false;
    if (this.filled === this.capacity) {
      const evicted = this.serials[this.next]!;
      // The same serial may be in the ring twice (a wrap or a reboot): forget only the sighting evicted.
      if (this.present.get(evicted) === this.times[this.next]) this.present.delete(evicted);
    } else {
      this.filled++;
    }
    this.serials[this.next] = serial;
    this.times[this.next] = timeUnixMs;
    this.next = (this.next + 1) % this.capacity;
    this.present.set(serial, timeUnixMs);
    return true;
  }
}
