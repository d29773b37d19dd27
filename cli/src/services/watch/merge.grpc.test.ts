import { expect } from 'chai';
import { serveAgent } from '@kubectl-seccomp/proto';
import type { RunningServer, WatchViolationsRequest } from '@kubectl-seccomp/proto';
import { directTarget } from '../../targets/direct.js';
import type { BackoffPolicy } from './backoff.js';
import { FakeAgent, statsEvent, until, violationEvent } from '../../testing/fake-agent.js';
import { buildFilter } from './filter.js';
import { watchTargets } from './node-stream.js';
import type { WatchUpdate } from './types.js';

const QUICK: BackoffPolicy = { initialMs: 50, maxMs: 200, factor: 2, maxFailures: 50 };
const request: WatchViolationsRequest = { filter: buildFilter({ namespaces: ['shop'], actions: ['log'] }), sinceUnixMs: 0, statsIntervalMs: 1000, maxQueue: 0 };

describe('watch merges real gRPC agents on loopback', () => {
  const servers: RunningServer[] = [];
  let ac: AbortController;
  let done: Promise<void> | undefined;

  const serve = async (agent: FakeAgent, address = '127.0.0.1:0'): Promise<RunningServer> => {
    const s = await serveAgent(agent, address);
    servers.push(s);
    return s;
  };
  const violations = (got: WatchUpdate[]) => got.flatMap((u) => (u.kind === 'violation' ? [`${u.node} ${u.violation.auditId} ${u.violation.syscall}`] : []));

  beforeEach(() => {
    ac = new AbortController();
    done = undefined;
  });
  afterEach(async () => {
    ac.abort();
    await done;
    await Promise.all(servers.splice(0).map((s) => s.stop(0)));
  });

  it('streams both nodes into one stream, sending the filter to each agent', async () => {
    const a = new FakeAgent();
    const b = new FakeAgent();
    const [sa, sb] = [await serve(a), await serve(b)];
    const got: WatchUpdate[] = [];
    const targets = [
      directTarget({ node: 'a', address: sa.address, named: true }, { timeoutMs: 5000 }),
      directTarget({ node: 'b', address: sb.address, named: true }, { timeoutMs: 5000 }),
    ];
    done = watchTargets(targets, request, (u) => got.push(u), { signal: ac.signal, backoff: QUICK });
    const [streamA, streamB] = [await a.stream(1), await b.stream(1)];
    expect(streamA.request.filter).to.deep.equal({ namespaces: ['shop'], pods: [], containers: [], syscalls: [], actions: ['SCMP_ACT_LOG'] });
    streamA.push(violationEvent({ auditId: '10.000:1', syscall: 'mkdir' }));
    streamB.push(violationEvent({ auditId: '10.000:1', syscall: 'unshare' }), statsEvent(1, 2, 3));
    await until(() => violations(got).length === 2 && got.some((u) => u.kind === 'stats' && u.stats.seen === 1), 'both nodes');
    expect(violations(got).sort()).to.deep.equal(['a 10.000:1 mkdir', 'b 10.000:1 unshare']);
    const bStats = got.find((u) => u.kind === 'stats' && u.node === 'b' && u.stats.seen === 1);
    expect(bStats?.kind === 'stats' && bStats.stats).to.include({ dropped: 2, lost: 3 });
  });

  it('reconnects to an agent restarted mid-stream and shows nothing twice', async () => {
    const before = new FakeAgent();
    const other = new FakeAgent();
    const sa = await serve(before);
    const sb = await serve(other);
    const got: WatchUpdate[] = [];
    const targets = [
      directTarget({ node: 'a', address: sa.address, named: true }, { timeoutMs: 5000 }),
      directTarget({ node: 'b', address: sb.address, named: true }, { timeoutMs: 5000 }),
    ];
    done = watchTargets(targets, request, (u) => got.push(u), { signal: ac.signal, backoff: QUICK });
    const first = await before.stream(1);
    first.push(violationEvent({ auditId: '100.000:1', timeUnixMs: 100_000 }), violationEvent({ auditId: '100.250:2', timeUnixMs: 100_250 }));
    await until(() => violations(got).length === 2, 'the first events');

    await sa.stop(0);
    servers.splice(servers.indexOf(sa), 1);
    await until(() => got.some((u) => u.kind === 'state' && u.node === 'a' && u.state.phase === 'reconnecting'), 'node a reconnecting');
    (await other.stream(1)).push(violationEvent({ auditId: '7.000:9', syscall: 'chmod' }));
    await until(() => violations(got).length === 3, 'node b still streaming');

    const after = new FakeAgent();
    await serve(after, sa.address);
    const second = await after.stream(1);
    expect(second.request.sinceUnixMs).to.equal(100_250);
    second.push(violationEvent({ auditId: '100.250:2', timeUnixMs: 100_250 }), violationEvent({ auditId: '100.900:3', timeUnixMs: 100_900, syscall: 'chmod' }));
    await until(() => violations(got).length === 4, 'the event after the restart');
    expect(violations(got)).to.deep.equal(['a 100.000:1 mkdir', 'a 100.250:2 mkdir', 'b 7.000:9 chmod', 'a 100.900:3 chmod']);
    const phasesA = got.flatMap((u) => (u.kind === 'state' && u.node === 'a' ? [u.state.phase] : []));
    expect(phasesA.filter((p) => p === 'streaming')).to.have.length(2);
  });
});
