/**
 * The audit ids seen lately, to drop the copies of one record that arrive through several sources
 * (kmsg, journald's kernel and audit transports). An audit id is SECONDS.MILLIS:SERIAL; the serial
 * alone is unique until it wraps or the node reboots, and the time tells those apart. Memory is
 * bounded: a ring of the last `capacity` ids, found through a hash table of ring positions.
 *
 * Everything is in typed arrays: this runs for every copy of every record, and a Map of numbers boxed
 * each time (a heap number per entry) and rebuilt as entries come and go kept the collector busy.
 */
export class RecentIds {
  private readonly serials: Float64Array;
  private readonly times: Float64Array;
  /** Open addressing with linear probing: ring position + 1 of each id in the window, 0 when free. */
  private readonly slots: Int32Array;
  private readonly shift: number;
  private next = 0;
  private filled = 0;

  constructor(readonly capacity = 65536) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`dedupe capacity must be >= 1, got ${capacity}`);
    this.serials = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
    // At most half full, so that probes stay short.
    const bits = Math.max(1, Math.ceil(Math.log2(capacity * 2)));
    this.slots = new Int32Array(2 ** bits);
    this.shift = 32 - bits;
  }

  /** Whether an id is in the window, without recording a sighting. */
  has(serial: number, timeUnixMs: number): boolean {
    return this.slotOf(serial, timeUnixMs) >= 0;
  }

  /** True the first time an id is offered (within the window), false for its copies. */
  firstSighting(serial: number, timeUnixMs: number): boolean {
    // NaN equals nothing, so it cannot be found again: nothing to keep.
    if (Number.isNaN(serial) || Number.isNaN(timeUnixMs)) return true;
    if (this.slotOf(serial, timeUnixMs) >= 0) return false;
    if (this.filled === this.capacity) this.forget(this.next);
    else this.filled++;
    this.serials[this.next] = serial;
    this.times[this.next] = timeUnixMs;
    const mask = this.slots.length - 1;
    let slot = this.home(serial, timeUnixMs);
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = this.next + 1;
    this.next = (this.next + 1) % this.capacity;
    return true;
  }

  /** The table slot holding the id, -1 when it is not in the window. */
  private slotOf(serial: number, timeUnixMs: number): number {
    const mask = this.slots.length - 1;
    for (let slot = this.home(serial, timeUnixMs); ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) return -1;
      if (this.serials[entry - 1] === serial && this.times[entry - 1] === timeUnixMs) return slot;
    }
  }

  /** Removes the id at ring position `at` from the table, moving back the entries probing passed it. */
  private forget(at: number): void {
    const mask = this.slots.length - 1;
    let hole = this.slotOf(this.serials[at]!, this.times[at]!);
    for (let slot = (hole + 1) & mask; this.slots[slot] !== 0; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      const home = this.home(this.serials[entry - 1]!, this.times[entry - 1]!);
      // The entry may fill the hole unless its home lies cyclically in (hole, slot].
      const stays = hole <= slot ? hole < home && home <= slot : hole < home || home <= slot;
      if (stays) continue;
      this.slots[hole] = entry;
      hole = slot;
    }
    this.slots[hole] = 0;
  }

  /** Fibonacci hashing of both numbers' low 32 bits (serials grow by one, times by a little). */
  private home(serial: number, timeUnixMs: number): number {
    return (Math.imul((serial >>> 0) ^ Math.imul(timeUnixMs >>> 0, 0x85ebca6b), 0x9e3779b1) >>> this.shift) >>> 0;
  }
}
