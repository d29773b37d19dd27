import { expect } from 'chai';
import type { BackoffPolicy } from './backoff.js';
import { FakeAgent, fakeTarget, violationEvent } from '../../testing/fake-agent.js';
import { buildFilter, buildRequest } from './filter.js';
import { runWatch } from './run.js';
import { WatchSession } from './session.js';
import type { WatchUpdate } from './types.js';
import { watchExitCode } from './watch.js';

const FAST: BackoffPolicy = { initialMs: 1, maxMs: 2, factor: 2, maxFailures: 3 };
const request = buildRequest(buildFilter({}), undefined, 0);

describe('watch run', () => {
  const stops: AbortController[] = [];
  afterEach(() => stops.splice(0).forEach((c) => c.abort()));
  const stopper = () => {
    const c = new AbortController();
    stops.push(c);
    return c;
  };

  it('stops at the first violation with --exit-on-violation, ignoring what was still buffered', async () => {
    const agent = new FakeAgent();
    const session = new WatchSession({ nodes: ['a'], filter: request.filter });
    const out: WatchUpdate[] = [];
    const run = runWatch({
      targets: [fakeTarget('a', agent)],
      request,
      session,
      exitOnViolation: true,
      output: (u) => out.push(u),
      signal: stopper().signal,
      backoff: FAST,
    });
    (await agent.stream(1)).push(violationEvent({ auditId: '1:1', syscall: 'unshare' }), violationEvent({ auditId: '1:2' }));
    const outcome = await run;
    expect(outcome.reason).to.equal('violation');
    expect(outcome.firstViolation?.violation.syscall).to.equal('unshare');
    expect(out.filter((u) => u.kind === 'violation')).to.have.length(1);
    expect(session.total).to.equal(1);
    expect(watchExitCode(outcome, session.board.list())).to.equal(1);
  });

  it('ends when the duration passes, exit 0 when every node was watched', async () => {
    const agent = new FakeAgent();
    const session = new WatchSession({ nodes: ['a'], filter: request.filter });
    const run = runWatch({
      targets: [fakeTarget('a', agent)],
      request,
      session,
      durationMs: 50,
      exitOnViolation: true,
      output: () => {},
      signal: stopper().signal,
    });
    await agent.stream(1);
    const outcome = await run;
    expect(outcome.reason).to.equal('duration');
    expect(watchExitCode(outcome, session.board.list())).to.equal(0);
  });

  it('ends when no node is left to watch, exit 2', async () => {
    const session = new WatchSession({ nodes: ['x', 'y'], filter: request.filter });
    const targets = [fakeTarget('x', new FakeAgent(), { down: true }), fakeTarget('y', new FakeAgent(), { down: true })];
    const outcome = await runWatch({ targets, request, session, exitOnViolation: false, output: () => {}, signal: stopper().signal, backoff: FAST });
    expect(outcome.reason).to.equal('all-failed');
    expect(watchExitCode(outcome, session.board.list())).to.equal(2);
  });

  it('stops when the caller aborts (q, Ctrl-C) and says why', async () => {
    const agent = new FakeAgent();
    const session = new WatchSession({ nodes: ['a'], filter: request.filter });
    const stop = stopper();
    const run = runWatch({ targets: [fakeTarget('a', agent)], request, session, exitOnViolation: false, output: () => {}, signal: stop.signal });
    await agent.stream(1);
    stop.abort();
    expect((await run).reason).to.equal('stopped');
  });
});
