import type { Violation, ViolationSource, WatchEvent } from '@kubectl-seccomp/proto';
import { loggedViolation } from '@kubectl-seccomp/proto/testing';
import { JournalEntry } from '../parse/journal-entry.js';
import type { RecordSource, SourceSink, StartOptions } from '../source.js';

/** A record source driven by the test. */
export class FakeSource implements RecordSource {
  sink: SourceSink | undefined;
  startedWith: StartOptions | undefined;
  stopped = false;

  constructor(
    readonly name: ViolationSource,
    private readonly failStart?: string,
  ) {}

  start(sink: SourceSink, opts: StartOptions): Promise<void> {
    if (this.failStart) return Promise.reject(new Error(this.failStart));
    this.sink = sink;
    this.startedWith = opts;
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }
}

/** A journald entry with these fields, as journalctl prints it. */
export function journalEntry(fields: Record<string, unknown>): JournalEntry {
  return JournalEntry.parse(JSON.stringify(fields))!;
}

/** The kmsg text of a LOG mkdir record with the given serial and pid. */
export function kmsgText(serial: number, pid = 3436, syscall = 83, code = '0x7ffc0000'): string {
  return `audit: type=1326 audit(1795369472.866:${serial}): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=${pid} comm="mkdir" exe="/bin/busybox" sig=0 arch=c000003e syscall=${syscall} compat=0 ip=0x47b567 code=${code}`;
}

/** Reads the next `n` events of a stream (without ending it). */
export async function take(it: AsyncIterator<WatchEvent>, n: number): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  while (out.length < n) {
    const r = await it.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

/** Reads until the next stats event and returns it, with the violations before it. */
export async function untilStats(it: AsyncIterator<WatchEvent>): Promise<{ violations: Violation[]; stats: Extract<WatchEvent, { kind: 'stats' }>['stats'] }> {
  const violations: Violation[] = [];
  for (;;) {
    const r = await it.next();
    if (r.done) throw new Error('stream ended before a stats event');
    if (r.value.kind === 'stats') return { violations, stats: r.value.stats };
    violations.push(r.value.violation);
  }
}

/** A violation as the agent's unit tests use it: a pod's container, named, from kmsg; `over` changes fields. */
export function violationOf(over: Partial<Violation> = {}): Violation {
  return {
    ...loggedViolation,
    node: 'n',
    namespace: 'shop',
    pod: 'cart',
    container: 'app',
    containerId: '',
    podUid: '',
    pid: 1,
    comm: '',
    exe: '',
    auditId: '1.000:1',
    timeUnixMs: 1000,
    emittedUnixMs: 0,
    ...over,
  };
}
