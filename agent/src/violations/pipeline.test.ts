import type { WatchEvent, WatchViolationsRequest } from '@kubectl-seccomp/proto';
import { expect } from 'chai';
import { silentLogger } from '../log.js';
import type { CgroupIdentity } from '../host/cgroup.js';
import { readRaw } from './parse/index.js';
import type { PositionKeeper } from '../state/index.js';
import { ViolationPipeline, type ViolationPipelineOptions } from './pipeline.js';
import { FakeSource, journalEntry, kmsgText, take, untilStats } from './testing/fakes.js';

const noFilter = { namespaces: [], pods: [], containers: [], syscalls: [], actions: [] };
const request = (over: Partial<WatchViolationsRequest> = {}): WatchViolationsRequest => ({
  filter: noFilter,
  sinceUnixMs: 0,
  statsIntervalMs: 0,
  maxQueue: 0,
  ...over,
});

/** Pods: pid 100 runs in shop/cart (app), pid 200 in shop/cart (sidecar), pid 300 in kube-system/dns. */
const CONTAINERS: Record<number, [string, string, string]> = {
  100: ['shop', 'cart', 'app'],
  200: ['shop', 'cart', 'sidecar'],
  300: ['kube-system', 'dns', 'coredns'],
};

describe('ViolationPipeline', () => {
  let pipeline: ViolationPipeline;
  let kmsg: FakeSource;
  let journald: FakeSource;
  let aborts: AbortController[];

  function make(over: Partial<ViolationPipelineOptions> = {}): ViolationPipeline {
    kmsg = new FakeSource('kmsg');
    journald = new FakeSource('journald');
    pipeline = new ViolationPipeline({
      nodeName: 'worker-1',
      hostRoot: '/nonexistent',
      sources: [kmsg, journald],
      log: silentLogger,
      processes: {
        identify: (pid): CgroupIdentity | undefined =>
          CONTAINERS[pid] ? { containerId: String(pid).repeat(16).slice(0, 64), podUid: `uid-${pid}`, runtime: 'containerd' } : undefined,
      },
      podResolver: {
        lookup: (podUid) => {
          const names = CONTAINERS[Number(podUid.slice(4))];
          return names ? { namespace: names[0], pod: names[1], container: names[2] } : undefined;
        },
      },
      statsIntervalMs: 100,
      ...over,
    });
    return pipeline;
  }

  /** A stream the test reads by hand, ended by afterEach. */
  function watch(req: WatchViolationsRequest): AsyncIterator<WatchEvent> {
    const ac = new AbortController();
    aborts.push(ac);
    return pipeline.watch(req, ac.signal)[Symbol.asyncIterator]();
  }

  const emit = (serial: number, pid = 100, syscall = 83, code = '0x7ffc0000'): void =>
    kmsg.sink!.record({ source: 'kmsg', kind: 'kmsg', text: kmsgText(serial, pid, syscall, code), seq: serial, usec: 0 });

  /** The record's two journald copies, as journald with its audit socket stores them: kernel and audit transports. */
  const emitJournalCopies = (serial: number): void => {
    journald.sink!.record({ source: 'journald', kind: 'journal', entry: journalEntry({ _TRANSPORT: 'kernel', MESSAGE: kmsgText(serial) }) });
    journald.sink!.record({
      source: 'journald',
      kind: 'journal',
      entry: journalEntry({
        _TRANSPORT: 'audit',
        _AUDIT_TYPE: '1326',
        _AUDIT_ID: String(serial),
        _SOURCE_REALTIME_TIMESTAMP: '1795369472866000',
        MESSAGE: `SECCOMP ${kmsgText(serial).split('): ')[1]}`,
      }),
    });
  };

  beforeEach(async () => {
    aborts = [];
    make();
    await pipeline.start({ sinceUnixMs: 0 });
  });
  afterEach(async () => {
    for (const ac of aborts) ac.abort();
    await pipeline.stop();
  });

  it('starts every source with the since time and reports them healthy', async () => {
    make();
    await pipeline.start({ sinceUnixMs: 1234 });
    expect(kmsg.startedWith).to.deep.equal({ sinceUnixMs: 1234 });
    expect(pipeline.sourceStats().map((s) => [s.name, s.healthy])).to.deep.equal([
      ['kmsg', true],
      ['journald', true],
    ]);
  });

  it('keeps going when one source cannot start, and says why', async () => {
    kmsg = new FakeSource('kmsg');
    const broken = new FakeSource('auditlog', 'EACCES: /var/log/audit/audit.log');
    pipeline = new ViolationPipeline({ nodeName: 'n', hostRoot: '/nonexistent', sources: [kmsg, broken], log: silentLogger });
    await pipeline.start({ sinceUnixMs: 0 });
    const stats = pipeline.sourceStats();
    expect(stats[0]).to.include({ name: 'kmsg', healthy: true });
    expect(stats[1]).to.include({ name: 'auditlog', healthy: false });
    expect(stats[1]!.error).to.include('EACCES');
  });

  it('opens each stream with stats, then streams enriched violations', async () => {
    const it = watch(request());
    const [first] = await take(it, 1);
    expect(first!.kind).to.equal('stats');
    emit(1);
    const [second] = await take(it, 1);
    if (second?.kind !== 'violation') throw new Error('expected a violation');
    expect(second.violation).to.deep.include({ namespace: 'shop', pod: 'cart', container: 'app', syscall: 'mkdir', action: 'SCMP_ACT_LOG' });
  });

  it('makes one event of a record seen through kmsg and both journald transports', async () => {
    const it = watch(request());
    await take(it, 1);
    emit(7);
    emitJournalCopies(7);
    emit(8);
    const { violations, stats } = await untilStats(it);
    expect(violations.map((v) => [v.auditId, v.source])).to.deep.equal([
      ['1795369472.866:7', 'kmsg'],
      ['1795369472.866:8', 'kmsg'],
    ]);
    expect(stats.seen).to.equal(2);
    expect(stats.sources.find((s) => s.name === 'journald')?.records).to.equal(2);
  });

  it('drops the copies of a record seen through another carrier before parsing them, and counts them as records', async () => {
    const parsed: string[] = [];
    // Notes each record whose fields are read.
    make({
      read: (raw) => {
        const reading = readRaw(raw);
        if (reading.kind !== 'seccomp') return reading;
        const label = raw.kind === 'journal' ? `journal/${String(raw.entry.field('_TRANSPORT'))}` : raw.kind;
        return { ...reading, record: () => (parsed.push(label), reading.record()) };
      },
    });
    await pipeline.start({ sinceUnixMs: 0 });
    const it = watch(request());
    await take(it, 1);
    emit(7);
    emitJournalCopies(7);
    const { violations, stats } = await untilStats(it);
    expect(parsed).to.deep.equal(['kmsg']);
    expect(violations.map((v) => v.auditId)).to.deep.equal(['1795369472.866:7']);
    expect(stats.sources.map((s) => [s.name, s.records, s.damaged])).to.deep.equal([
      ['kmsg', 1, 0],
      ['journald', 2, 0],
    ]);
  });

  it('delivers a record from a later carrier when its first copy was damaged, and counts the damaged copy', async () => {
    const it = watch(request());
    await take(it, 1);
    kmsg.sink!.record({ source: 'kmsg', kind: 'kmsg', text: kmsgText(9).replace(/ pid=\d+/, ''), seq: 9, usec: 0 });
    journald.sink!.record({ source: 'journald', kind: 'journal', entry: journalEntry({ _TRANSPORT: 'kernel', MESSAGE: kmsgText(9) }) });
    const { violations, stats } = await untilStats(it);
    expect(violations.map((v) => [v.auditId, v.source])).to.deep.equal([['1795369472.866:9', 'journald']]);
    expect(stats.sources.map((s) => [s.name, s.records, s.damaged])).to.deep.equal([
      ['kmsg', 0, 1],
      ['journald', 1, 0],
    ]);
  });

  it('enriches what a source handed over in one go as one batch of /proc lookups, once the source has returned', async () => {
    const batches: number[][] = [];
    let current: number[] | undefined;
    make({
      processes: {
        identify: (pid) => {
          if (!current) throw new Error('a lookup outside a batch');
          current.push(pid);
          return undefined;
        },
        batch: <T>(fn: () => T): T => {
          current = [];
          try {
            return fn();
          } finally {
            batches.push(current);
            current = undefined;
          }
        },
      },
    });
    await pipeline.start({ sinceUnixMs: 0 });
    const it = watch(request());
    await take(it, 1);
    emit(1, 101);
    emit(2, 102);
    expect(batches).to.deep.equal([]);
    expect((await take(it, 2)).map((e) => e.kind === 'violation' && e.violation.pid)).to.deep.equal([101, 102]);
    emit(3, 103);
    await take(it, 1);
    expect(batches).to.deep.equal([[101, 102], [103]]);
  });

  it('gives each watcher only what its filter asks for', async () => {
    const apps = watch(request({ filter: { ...noFilter, namespaces: ['shop'], containers: ['app'] } }));
    const mounts = watch(request({ filter: { ...noFilter, syscalls: ['mount'] } }));
    const all = watch(request());
    for (const it of [apps, mounts, all]) await take(it, 1);
    emit(1, 100);
    emit(2, 200);
    emit(3, 300, 165, '0x0');
    const serials = async (it: AsyncIterator<WatchEvent>): Promise<string[]> => (await untilStats(it)).violations.map((v) => v.auditId.split(':')[1]!);
    expect(await serials(apps)).to.deep.equal(['1']);
    expect(await serials(mounts)).to.deep.equal(['3']);
    expect(await serials(all)).to.deep.equal(['1', '2', '3']);
  });

  it('drops the oldest events of a slow reader and tells it how many in the next stats', async () => {
    const it = watch(request({ maxQueue: 3 }));
    await take(it, 1);
    for (let serial = 1; serial <= 10; serial++) emit(serial);
    const { violations, stats } = await untilStats(it);
    expect(violations.map((v) => v.auditId.split(':')[1])).to.deep.equal(['8', '9', '10']);
    expect(stats).to.include({ seen: 10, dropped: 7 });
  });

  it('a slow reader does not slow down or starve the others', async () => {
    const slow = watch(request({ maxQueue: 1 }));
    const fast = watch(request({ maxQueue: 100 }));
    await take(slow, 1);
    await take(fast, 1);
    for (let serial = 1; serial <= 20; serial++) emit(serial);
    expect((await untilStats(fast)).violations).to.have.length(20);
    expect((await untilStats(slow)).stats.dropped).to.equal(19);
  });

  it('ends a stream when its client aborts, and forgets the client', async () => {
    const ac = new AbortController();
    const events: WatchEvent[] = [];
    const reading = (async () => {
      for await (const e of pipeline.watch(request(), ac.signal)) {
        events.push(e);
        if (e.kind === 'violation') ac.abort();
      }
    })();
    const other = watch(request());
    await take(other, 1);
    expect(pipeline.watchers).to.equal(2);
    // Let the first stream deliver its opening stats before the violation arrives.
    while (events.length === 0) await new Promise((r) => setImmediate(r));
    emit(1);
    await reading;
    expect(events.map((e) => e.kind)).to.deep.equal(['stats', 'violation']);
    expect(pipeline.watchers).to.equal(1);
    emit(2);
    expect((await untilStats(other)).violations).to.have.length(2);
  });

  it('ends every stream when the pipeline stops, and stops the sources', async () => {
    const it = watch(request());
    await take(it, 1);
    await pipeline.stop();
    expect(await it.next()).to.deep.equal({ done: true, value: undefined });
    expect([kmsg.stopped, journald.stopped]).to.deep.equal([true, true]);
    expect(await pipeline.watch(request())[Symbol.asyncIterator]().next()).to.deep.include({ done: true });
  });

  it('replays recent history to a watcher that asks to start in the past, then goes live', async () => {
    for (let serial = 1; serial <= 3; serial++) emit(serial);
    const it = watch(request({ sinceUnixMs: 1 }));
    const replay = await take(it, 4);
    expect(replay.filter((e) => e.kind === 'violation')).to.have.length(3);
    emit(4);
    const { violations } = await untilStats(it);
    expect(violations.map((v) => v.auditId)).to.deep.equal(['1795369472.866:4']);
    const future = watch(request({ sinceUnixMs: 1795369472867 }));
    emit(5);
    const [, next] = await take(future, 2);
    expect(next?.kind === 'violation' && next.violation.auditId).to.equal('1795369472.866:5');
  });

  it('counts damaged records and losses per source, and each kernel loss once for the stream since it started', async () => {
    kmsg.sink!.lost(2);
    const it = watch(request());
    await take(it, 1);
    kmsg.sink!.record({ source: 'kmsg', kind: 'kmsg', text: 'kauditd_printk_skb: 12 callbacks suppressed', seq: 1, usec: 1001 });
    kmsg.sink!.record({ source: 'kmsg', kind: 'kmsg', text: 'audit: audit_lost=5 audit_rate_limit=0 audit_backlog_limit=64', seq: 2, usec: 1002 });
    kmsg.sink!.record({ source: 'kmsg', kind: 'kmsg', text: 'audit: audit_lost=9 audit_rate_limit=0 audit_backlog_limit=64', seq: 3, usec: 1003 });
    // journald carries the same kernel line: the source counts it, the stream does not count it twice.
    journald.sink!.record({
      source: 'journald',
      kind: 'journal',
      entry: journalEntry({ _TRANSPORT: 'kernel', MESSAGE: 'kauditd_printk_skb: 12 callbacks suppressed', _SOURCE_MONOTONIC_TIMESTAMP: '1001' }),
    });
    kmsg.sink!.record({ source: 'kmsg', kind: 'kmsg', text: 'audit: type=1326 audit(1.000:1): pid=1', seq: 4, usec: 0 });
    kmsg.sink!.record({ source: 'kmsg', kind: 'kmsg', text: 'eth0: link up', seq: 5, usec: 0 });
    journald.sink!.unhealthy('journalctl exited with status 1');
    const { stats } = await untilStats(it);
    expect(stats.lost).to.equal(12 + 1 + 4);
    expect(stats.sources).to.deep.equal([
      { name: 'kmsg', healthy: true, error: '', records: 0, lost: 2 + 12 + 1 + 4, damaged: 1 },
      { name: 'journald', healthy: false, error: 'journalctl exited with status 1', records: 0, lost: 12, damaged: 0 },
    ]);
  });

  it('tells a watcher replaying from its last event what the ring overwrote while the agent was down, with the reason', async () => {
    make({ now: () => 5000 });
    await pipeline.start({ sinceUnixMs: 0 });
    kmsg.sink!.lost(7, { reason: 'overwritten-while-down', atUnixMs: 3000 });
    kmsg.sink!.lost(1);
    const reconnected = watch(request({ sinceUnixMs: 2000 }));
    const [first] = await take(reconnected, 1);
    expect(first?.kind === 'stats' && first.stats).to.deep.include({
      lost: 8,
      nodeName: 'worker-1',
      losses: [
        { reason: 'overwritten-while-down', count: 7 },
        { reason: 'ring-overrun', count: 1 },
      ],
    });
    const afterTheGap = watch(request({ sinceUnixMs: 4000 }));
    const [later] = await take(afterTheGap, 1);
    expect(later?.kind === 'stats' && later.stats).to.deep.include({ lost: 1, losses: [{ reason: 'ring-overrun', count: 1 }] });
    const fresh = watch(request());
    kmsg.sink!.record({ source: 'kmsg', kind: 'kmsg', text: 'kauditd_printk_skb: 3 callbacks suppressed', seq: 9, usec: 9 });
    await take(fresh, 1);
    const { stats } = await untilStats(fresh);
    expect(stats).to.deep.include({ lost: 3, losses: [{ reason: 'kernel-suppressed', count: 3 }] });
  });

  it('counts, and does not send, violations a namespace filter cannot place because no pod is known', async () => {
    const it = watch(request({ filter: { ...noFilter, namespaces: ['shop'] } }));
    await take(it, 1);
    emit(1, 100);
    emit(2, 999);
    emit(3, 300);
    emit(4, 998, 2);
    const { violations, stats } = await untilStats(it);
    expect(violations.map((v) => v.auditId)).to.deep.equal(['1795369472.866:1']);
    expect(stats.unattributed).to.equal(2);
    const syscallOnly = watch(request({ filter: { ...noFilter, namespaces: ['shop'], syscalls: ['mkdir'] } }));
    await take(syscallOnly, 1);
    emit(5, 997);
    emit(6, 996, 2);
    const second = await untilStats(syscallOnly);
    expect(second.stats.unattributed).to.equal(1);
  });

  it('passes the positions its sources reach to the state keeper, and the kept ones to its sources', async () => {
    const advanced: unknown[] = [];
    const positions = { resume: { kmsgSeq: 41 }, advance: (p: unknown) => advanced.push(p) } as unknown as PositionKeeper;
    make({ positions });
    await pipeline.start({ sinceUnixMs: 0 });
    expect(kmsg.startedWith).to.deep.equal({ sinceUnixMs: 0, resume: { kmsgSeq: 41 } });
    kmsg.sink!.advanced!({ kmsgSeq: 42 });
    expect(advanced).to.deep.equal([{ kmsgSeq: 42 }]);
  });
});
