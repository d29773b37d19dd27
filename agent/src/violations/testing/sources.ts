import type { SourcePositions } from '../../state/index.js';
import type { RawRecord, SourceSink } from '../source.js';

/**
 * Tests that need the real machine (root, /dev/kmsg, journald, runc) skip with a message when it is
 * missing, but must not pass silently in CI: there a missing prerequisite is a failure.
 */
export function skipUnless(ctx: Mocha.Context, missing: string | undefined): void {
  if (missing === undefined) return;
  if (process.env.CI) throw new Error(`prerequisite missing under CI: ${missing}`);
  console.warn(`      skipped: ${missing}`);
  ctx.skip();
}

export function rootMissing(): string | undefined {
  return process.getuid?.() === 0 ? undefined : 'needs root';
}

/** A sink that keeps everything it is told, and lets a test wait for a record. */
export class RecordingSink implements SourceSink {
  readonly records: RawRecord[] = [];
  readonly lostCounts: number[] = [];
  readonly lossReasons: string[] = [];
  /** The last kmsg SEQ / journal cursor the source said it read up to. */
  readonly position: SourcePositions = {};
  readonly health: string[] = [];
  private waiters: { match: (r: RawRecord) => boolean; resolve: (r: RawRecord) => void }[] = [];

  record(raw: RawRecord): void {
    this.records.push(raw);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(raw)) return true;
      w.resolve(raw);
      return false;
    });
  }
  lost(count: number, detail?: { reason: string }): void {
    this.lostCounts.push(count);
    this.lossReasons.push(detail?.reason ?? 'ring-overrun');
  }
  advanced(position: SourcePositions): void {
    Object.assign(this.position, position);
  }
  healthy(): void {
    this.health.push('healthy');
  }
  unhealthy(error: string): void {
    this.health.push(`unhealthy: ${error}`);
  }

  /** Resolves with the first record (already received or to come) that matches. */
  waitFor(match: (r: RawRecord) => boolean): Promise<RawRecord> {
    const found = this.records.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }
}

/** The text a record carries, whatever its source. */
export function recordText(r: RawRecord): string {
  if (r.kind === 'kmsg' || r.kind === 'audit') return r.text;
  if (r.kind === 'auditlog') return r.line;
  const message = r.entry.field('MESSAGE');
  return typeof message === 'string' ? message : '';
}

export function uniqueMarker(label: string): string {
  return `kubectl-seccomp-test ${label} ${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
