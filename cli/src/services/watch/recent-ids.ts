/**
 * A bounded set of recently seen keys. After a reconnect the agent replays from the last event time,
 * so only keys near the end of the stream can come again: forgetting the oldest is safe.
 */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly cap = 20_000) {}

  /** True when the id is new (and remembers it), false for a duplicate. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.cap) {
      const oldest = this.ids.values().next();
      if (!oldest.done) this.ids.delete(oldest.value);
    }
    return true;
  }

  get size(): number {
    return this.ids.size;
  }
}
