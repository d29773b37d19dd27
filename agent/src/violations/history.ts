import type { Violation } from '@kubectl-seccomp/proto';
import { BoundedQueue } from './bounded-queue.js';

/** The last `capacity` violations, for watchers that ask to start in the past (sinceUnixMs). */
export class History {
  private readonly queue: BoundedQueue<Violation>;

  constructor(capacity = 10000) {
    this.queue = new BoundedQueue(capacity);
  }

  add(v: Violation): void {
    this.queue.push(v);
  }

  /** Violations whose kernel time is at or after `sinceUnixMs`, oldest first. */
  since(sinceUnixMs: number): Violation[] {
    const out: Violation[] = [];
    for (const v of this.queue) if (v.timeUnixMs >= sinceUnixMs) out.push(v);
    return out;
  }
}
