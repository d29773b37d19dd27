import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { RawRecord, RecordSource, SourceSink, StartOptions } from '@kubectl-seccomp/agent';

// Shared with the agent's own source tests; under CI a missing prerequisite fails instead of skipping.
export { recordText, skipUnless, uniqueMarker } from '@kubectl-seccomp/agent/testing';

/** Writing to /dev/kmsg injects one kernel log record per write. */
export function injectKmsg(text: string): void {
  writeFileSync('/dev/kmsg', `${text}\n`);
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
