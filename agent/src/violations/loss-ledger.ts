import type { LossCount, LossReason } from '@kubectl-seccomp/proto';
import { BoundedQueue } from './bounded-queue.js';

interface DatedLoss {
  atUnixMs: number;
  reason: LossReason;
  count: number;
}

/**
 * Every loss the pipeline counted for streams, by reason, and the recent ones with their date: a
 * watcher that replays from a time (a CLI reconnecting after an agent restart) is told about the
 * losses since then too, not only those after it subscribed.
 */
export class LossLedger {
  private readonly totals = new Map<LossReason, number>();
  private readonly recent: BoundedQueue<DatedLoss>;

  constructor(capacity = 4096) {
    this.recent = new BoundedQueue(capacity);
  }

  add(count: number, reason: LossReason, atUnixMs: number): void {
    if (count <= 0) return;
    this.totals.set(reason, (this.totals.get(reason) ?? 0) + count);
    this.recent.push({ atUnixMs, reason, count });
  }

  /** Totals by reason since the pipeline started. */
  snapshot(): Map<LossReason, number> {
    return new Map(this.totals);
  }

  /** Losses dated at or after sinceUnixMs, by reason (as far back as the ledger remembers). */
  since(sinceUnixMs: number): Map<LossReason, number> {
    const out = new Map<LossReason, number>();
    for (const l of this.recent) if (l.atUnixMs >= sinceUnixMs) out.set(l.reason, (out.get(l.reason) ?? 0) + l.count);
    return out;
  }
}

/** now - baseline, per reason, dropping reasons without losses. */
export function lossesBetween(now: ReadonlyMap<LossReason, number>, baseline: ReadonlyMap<LossReason, number>): LossCount[] {
  const out: LossCount[] = [];
  for (const [reason, total] of now) {
    const count = total - (baseline.get(reason) ?? 0);
    if (count > 0) out.push({ reason, count });
  }
  return out.sort((a, b) => a.reason.localeCompare(b.reason));
}
