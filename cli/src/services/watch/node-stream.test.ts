import { expect } from 'chai';
import { AgentError } from '@kubectl-seccomp/proto';
import type { WatchViolationsRequest } from '@kubectl-seccomp/proto';
import type { BackoffPolicy } from './backoff.js';
import { backoffDelay } from './backoff.js';
import { FakeAgent, fakeTarget, statsEvent, until, violationEvent } from '../../testing/fake-agent.js';
import { buildFilter } from './filter.js';
import { watchTargets } from './node-stream.js';
import type { WatchUpdate } from './types.js';

const FAST: BackoffPolicy = { initialMs: 1, maxMs: 5, factor: 2, maxFailures: 4 };
const request: WatchViolationsRequest = { filter: buildFilter({ namespaces: ['shop'] }), sinceUnixMs: 0, statsIntervalMs: 1000, maxQueue: 0 };

describe('watch node streams (in-memory agents)', () => {
  let ac: AbortController;
  let done: Promise<void> | undefined;
  beforeEach(() => {
    ac = new AbortController();
    done = undefined;
  });
  afterEach(async () => {
    ac.abort();
    await done;
  });

  it('merges the streams of all nodes, tagged with the node', async () => {
    const a = new FakeAgent();
    const b = new FakeAgent();
    const got: WatchUpdate[] = [];
    done = watchTargets([fakeTarget('a', a), fakeTarget('b', b)], request, (u) => got.push(u), { signal: ac.signal, backoff: FAST });
    (await a.stream(1)).push(violationEvent({ auditId: '1.0:1', syscall: 'mkdir' }));
    (await b.stream(1)).push(violationEvent({ auditId: '1.0:1', syscall: 'unshare' }), statsEvent(1));
    await until(() => got.filter((u) => u.kind === 'violation').length === 2 && got.some((u) => u.kind === 'stats' && u.stats.seen === 1), 'the events');
    const v = got.filter((u) => u.kind === 'violation').map((u) => `${u.node}:${u.kind === 'violation' ? u.violation.syscall : ''}`);
    expect(v.sort()).to.deep.equal(['a:mkdir', 'b:unshare']);
    expect(a.streams[0]!.request.filter.namespaces).to.deep.equal(['shop']);
    expect(got.some((u) => u.kind === 'state' && u.node === 'b' && u.state.phase === 'streaming')).to.equal(true);
  });

  it('labels a node given only as an address with the name its agent reports, unless another node has it', async () => {
    const a = new FakeAgent(false, 'worker-1');
    const b = new FakeAgent(false, 'worker-1');
    const got: WatchUpdate[] = [];
    const targets = [
      { ...fakeTarget('10.0.0.1:50051', a), labelFromAgent: true },
      { ...fakeTarget('10.0.0.2:50051', b), labelFromAgent: true },
    ];
    done = watchTargets(targets, request, (u) => got.push(u), { signal: ac.signal, backoff: FAST });
    (await a.stream(1)).push(violationEvent({ auditId: '1.0:1' }));
    (await b.stream(1)).push(violationEvent({ auditId: '1.0:2' }));
    await until(() => got.filter((u) => u.kind === 'violation').length === 2, 'both violations');
    const named = got.filter((u) => u.kind === 'named');
    expect(named).to.have.length(1);
    const renamed = named[0]!.node;
    const other = renamed === '10.0.0.1:50051' ? '10.0.0.2:50051' : '10.0.0.1:50051';
    expect(named[0]).to.deep.equal({ kind: 'named', node: renamed, name: 'worker-1' });
    const labels = got.filter((u) => u.kind === 'violation').map((u) => u.node);
    expect(labels.sort()).to.deep.equal([other, 'worker-1'].sort());
  });

  it('reconnects after the agent goes away, asks from the last event time, and drops replayed duplicates', async () => {
    const agent = new FakeAgent();
    const state: { down?: boolean; opened?: number; closed?: number } = {};
    const got: WatchUpdate[] = [];
    done = watchTargets([fakeTarget('a', agent, state)], request, (u) => got.push(u), { signal: ac.signal, backoff: FAST });
    const first = await agent.stream(1);
    first.push(violationEvent({ auditId: '100.000:1', timeUnixMs: 100_000 }), violationEvent({ auditId: '100.500:2', timeUnixMs: 100_500 }));
    await until(() => got.filter((u) => u.kind === 'violation').length === 2, 'first two');
    first.fail(new AgentError('unavailable', 'agent restarted'));
    const second = await agent.stream(2);
    expect(second.request.sinceUnixMs).to.equal(100_500);
    // The restarted agent replays from since: the already-seen record comes again, then a new one.
    second.push(violationEvent({ auditId: '100.500:2', timeUnixMs: 100_500 }), violationEvent({ auditId: '101.000:3', timeUnixMs: 101_000 }));
    await until(() => got.filter((u) => u.kind === 'violation').length === 3, 'the new one');
    const ids = got.flatMap((u) => (u.kind === 'violation' ? [u.violation.auditId] : []));
    expect(ids).to.deep.equal(['100.000:1', '100.500:2', '101.000:3']);
    const phases = got.flatMap((u) => (u.kind === 'state' ? [u.state.phase] : []));
    expect(phases).to.deep.equal(['connecting', 'streaming', 'reconnecting', 'connecting', 'streaming']);
    expect(state.closed).to.equal(1);
  });

  it('reports a node as failed after the retries run out, naming the error', async () => {
    const got: WatchUpdate[] = [];
    done = watchTargets([fakeTarget('dead', new FakeAgent(), { down: true })], request, (u) => got.push(u), { signal: ac.signal, backoff: FAST });
    await done;
    const last = got.at(-1);
    expect(last).to.deep.include({ kind: 'state', node: 'dead' });
    expect(last?.kind === 'state' && last.state).to.deep.equal({ phase: 'failed', error: 'dead is down' });
    expect(got.filter((u) => u.kind === 'state' && u.state.phase === 'reconnecting')).to.have.length(FAST.maxFailures - 1);
  });

  it('fails at once on an error retrying cannot fix', async () => {
    const agent = new FakeAgent();
    const got: WatchUpdate[] = [];
    done = watchTargets([fakeTarget('a', agent)], request, (u) => got.push(u), { signal: ac.signal, backoff: FAST });
    (await agent.stream(1)).fail(new AgentError('invalid-argument', 'unknown action SCMP_ACT_NOPE'));
    await done;
    expect(agent.streams).to.have.length(1);
    expect(got.at(-1)).to.deep.equal({ kind: 'state', node: 'a', state: { phase: 'failed', error: 'unknown action SCMP_ACT_NOPE' } });
  });

  it('stops cleanly on abort and closes the connection', async () => {
    const agent = new FakeAgent();
    const state: { closed?: number } = {};
    const got: WatchUpdate[] = [];
    done = watchTargets([fakeTarget('a', agent, state)], request, (u) => got.push(u), { signal: ac.signal, backoff: FAST });
    await agent.stream(1);
    ac.abort();
    await done;
    expect(state.closed).to.equal(1);
    expect(got.at(-1)).to.deep.equal({ kind: 'state', node: 'a', state: { phase: 'stopped' } });
  });

  it('backs off exponentially up to the cap', () => {
    const p: BackoffPolicy = { initialMs: 250, maxMs: 2000, factor: 2, maxFailures: 10 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, p))).to.deep.equal([250, 500, 1000, 2000, 2000]);
  });
});
