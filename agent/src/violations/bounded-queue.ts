/**
 * A FIFO of at most `capacity` items that makes room by dropping the oldest. Storage grows with what
 * is queued, never to the capacity up front: a client asking for a huge queue costs nothing until
 * events are really waiting for it.
 */
export class BoundedQueue<T> {
  private items: T[] = [];
  private head = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`queue capacity must be >= 1, got ${capacity}`);
  }

  get length(): number {
    return this.items.length - this.head;
  }

  /** Adds an item; returns true when the oldest one was dropped to make room. */
  push(item: T): boolean {
    const full = this.length === this.capacity;
    if (full) this.shift();
    this.items.push(item);
    return full;
  }

  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined as T;
    // Give the consumed front back once it is half the array.
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    } else if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    }
    return item;
  }

  /** Oldest first, without removing. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i] as T;
  }
}
