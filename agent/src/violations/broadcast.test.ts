import { AgentError, type Violation, type WatchEvent } from '@kubectl-seccomp/proto';
import { expect } from 'chai';
import { ViolationBroadcast } from './broadcast.js';
import { violationOf } from './testing/fakes.js';

const v = (pid: number): Violation => violationOf({ pid, auditId: `1.000:${pid}` });

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
