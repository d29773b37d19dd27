/**
 * The audit ids seen lately, to drop the copies of one record that arrive through several sources
 * (kmsg, journald's kernel and audit transports). Memory is bounded: a ring of the last `capacity` ids.
 */
export class RecentIds {
  private readonly ring: Array<string | undefined>;
  private readonly present = new Set<string>();
  private next = 0;

  constructor(readonly capacity = 65536) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`dedupe capacity must be >= 1, got ${capacity}`);
    this.ring = new Array<string | undefined>(capacity);
  }

  /** True the first time an id is offered (within the window), false for its copies. */
  firstSighting(id: string): boolean {
    if (this.present.has(id)) return false;
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.present.delete(evicted);
    this.ring[this.next] = id;
    this.next = (this.next + 1) % this.capacity;
    this.present.add(id);
    return true;
  }
}
