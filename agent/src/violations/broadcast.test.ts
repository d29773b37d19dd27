import { AgentError, type Violation, type WatchEvent } from '@kubectl-seccomp/proto';
import { expect } from 'chai';
import { ViolationBroadcast } from './broadcast.js';

const v = (pid: number): Violation => ({
  node: 'n',
  namespace: 'shop',
  pod: 'cart',
  container: 'app',
  containerId: '',
  podUid: '',
  pid,
  comm: '',
  exe: '',
  arch: 'SCMP_ARCH_X86_64',
  auditArch: 0xc000003e,
  syscallNr: 83,
  syscall: 'mkdir',
  action: 'SCMP_ACT_LOG',
  code: 0x7ffc0000,
  errno: 0,
  source: 'kmsg',
  auditId: `1.000:${pid}`,
  timeUnixMs: 1000,
  compat: false,
  uid: 0,
  gid: 0,
  emittedUnixMs: 0,
});

describe('ViolationBroadcast memory bounds', () => {
  const broadcast = (over: { maxStreams?: number; maxQueuedTotal?: number } = {}): ViolationBroadcast =>
    new ViolationBroadcast({ snapshot: () => ({ sources: [], losses: new Map() }), ...over });
  const subscribe = (f: ViolationBroadcast, signal: AbortSignal, maxQueue = 1_000_000): AsyncIterator<WatchEvent> =>
    f.subscribe({ predicate: () => true, maxQueue, statsIntervalMs: 60_000, replay: [], signal })[Symbol.asyncIterator]();

  it('refuses a stream past the cap with resource-exhausted, and takes one again once a stream ends', () => {
    const f = broadcast({ maxStreams: 3 });
    const first = new AbortController();
    const rest = new AbortController();
    subscribe(f, first.signal);
    subscribe(f, rest.signal);
    subscribe(f, rest.signal);
    let refused: unknown;
    try {
      subscribe(f, rest.signal);
    } catch (err) {
      refused = err;
    }
    expect(refused).to.be.instanceOf(AgentError);
    expect((refused as AgentError).code).to.equal('resource-exhausted');
    first.abort();
    expect(f.clients).to.equal(2);
    subscribe(f, rest.signal);
    expect(f.clients).to.equal(3);
    rest.abort();
  });

  it('keeps all queues within one budget however large each asks, and counts what it drops', async () => {
    const f = broadcast({ maxQueuedTotal: 100 });
    const ac = new AbortController();
    const readers = Array.from({ length: 10 }, () => subscribe(f, ac.signal));
    for (const r of readers) expect((await r.next()).value).to.have.property('kind', 'stats');
    for (let pid = 1; pid <= 1000; pid++) f.publish(v(pid));
    expect(f.queuedEvents).to.equal(100);
    // A reader gets the newest events it could keep, and frees budget as it reads.
    const got = await readers[0]!.next();
    expect(got.value).to.have.nested.property('violation.pid');
    expect(f.queuedEvents).to.be.lessThan(100);
    ac.abort();
    expect(f.queuedEvents).to.equal(0);
  });
});
