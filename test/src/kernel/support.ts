import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { RawRecord, RecordSource, SourceSink, StartOptions } from '@kubectl-seccomp/agent';

/**
 * Kernel tests need the real machine: skip with the reason when it is missing, but under CI a
 * missing prerequisite fails the run instead of passing silently.
 */
export function skipUnless(ctx: Mocha.Context, missing: string | undefined): void {
  if (missing === undefined) return;
  if (process.env.CI) throw new Error(`prerequisite missing under CI: ${missing}`);
  console.warn(`      skipped: ${missing}`);
  ctx.skip();
}

/** Writing to /dev/kmsg injects one kernel log record per write. */
export function injectKmsg(text: string): void {
  writeFileSync('/dev/kmsg', `${text}\n`);
}

export function uniqueMarker(label: string): string {
  return `kubectl-seccomp-test ${label} ${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** The text a record carries, whatever its source. */
export function recordText(r: RawRecord): string {
  if (r.kind === 'kmsg' || r.kind === 'audit') return r.text;
  if (r.kind === 'auditlog') return r.line;
  const message = r.entry.field('MESSAGE');
  return typeof message === 'string' ? message : '';
}

/** Keeps every raw record a source delivers (before the pipeline sees it) and lets a test wait for some. */
export class RawLog {
  readonly records: RawRecord[] = [];
  private waiters: { check: () => boolean; resolve: () => void }[] = [];

  add(raw: RawRecord): void {
    this.records.push(raw);
    this.waiters = this.waiters.filter((w) => {
      if (!w.check()) return true;
      w.resolve();
      return false;
    });
  }

  matching(match: (r: RawRecord) => boolean): RawRecord[] {
    return this.records.filter(match);
  }

  /** Resolves once at least `count` records match. */
  waitFor(match: (r: RawRecord) => boolean, count = 1): Promise<void> {
    const check = () => this.matching(match).length >= count;
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ check, resolve }));
  }
}

/** A source that also copies what it delivers into a RawLog. */
export function teeSource(inner: RecordSource, log: RawLog): RecordSource {
  return {
    name: inner.name,
    start: (sink: SourceSink, opts: StartOptions) =>
      inner.start(
        {
          record: (raw) => {
            log.add(raw);
            sink.record(raw);
          },
          lost: (n) => sink.lost(n),
          healthy: () => sink.healthy(),
          unhealthy: (e) => sink.unhealthy(e),
        },
        opts,
      ),
    stop: () => inner.stop(),
  };
}

/** A sink that only logs records. */
export function logSink(log: RawLog): SourceSink {
  return { record: (raw) => log.add(raw), lost: () => undefined, healthy: () => undefined, unhealthy: () => undefined };
}

/** Host pids of processes whose command line contains `needle` (to find our own children). */
export function pidsWithArgument(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (
        readFileSync(`/proc/${entry}/cmdline`, 'utf8')
          .split('\0')
          .some((arg) => arg.includes(needle))
      )
        pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}
