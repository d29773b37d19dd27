import { expect } from 'chai';
import { render } from 'ink-testing-library';
import { makeStats, makeViolation, until } from '../../testing/fake-agent.js';
import { buildFilter } from '../../services/watch/filter.js';
import { WatchSession } from '../../services/watch/session.js';
import type { WatchUpdate } from '../../services/watch/types.js';
import { FrameScheduler } from './frame-scheduler.js';
import type { Timers } from './frame-scheduler.js';
import { WatchApp } from './WatchApp.js';

/** Timers the test advances by hand: frames come exactly when the test says time has passed. */
class ManualTimers implements Timers {
  nowMs = 1_000_000;
  private queue: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.queue.push({ at: this.nowMs + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((t) => t.id !== handle);
  }
  now(): number {
    return this.nowMs;
  }
  advance(ms: number): void {
    const end = this.nowMs + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const next = this.queue[0];
      if (!next || next.at > end) break;
      this.queue.shift();
      this.nowMs = next.at;
      next.fn();
    }
    this.nowMs = end;
  }
}

const flush = () => new Promise((r) => setTimeout(r, 20));

describe('watch live view', () => {
  let timers: ManualTimers;
  let session: WatchSession;
  let frames: FrameScheduler;
  let quits: number;
  let app: ReturnType<typeof render> | undefined;

  const feed = (u: WatchUpdate): void => {
    session.ingest(u);
    frames.invalidate();
  };
  const violation = (node: string, over: Parameters<typeof makeViolation>[0] = {}): void =>
    feed({ kind: 'violation', node, violation: makeViolation({ timeUnixMs: timers.nowMs, ...over }) });
  const mount = (wide = false) => {
    app = render(<WatchApp session={session} frames={frames} onQuit={() => (quits += 1)} wide={wide} />);
    return app;
  };
  /** Lets simulated time pass and waits for the render it causes. */
  const frame = async (ms = 150): Promise<string> => {
    const n = app!.stdout.frames.length;
    timers.advance(ms);
    await until(() => app!.stdout.frames.length > n, 'a render');
    return app!.lastFrame() ?? '';
  };
  /** Types keys, waits for their render, and returns the screen. */
  const press = async (...keys: string[]): Promise<string> => {
    for (const k of keys) {
      const n = app!.stdout.frames.length;
      app!.stdin.write(k);
      await until(() => app!.stdout.frames.length > n, `the render of key ${JSON.stringify(k)}`);
    }
    return app!.lastFrame() ?? '';
  };

  beforeEach(() => {
    timers = new ManualTimers();
    session = new WatchSession({ nodes: ['node-a', 'node-b'], filter: buildFilter({ namespaces: ['shop'] }), now: () => timers.now() });
    frames = new FrameScheduler(100, 1000, timers);
    quits = 0;
  });
  afterEach(() => {
    frames.stop();
    app?.unmount();
    app = undefined;
  });

  it('shows connected nodes, totals, drops, losses, the agent filter and the aggregated rows', async () => {
    const { lastFrame } = mount();
    feed({ kind: 'state', node: 'node-a', state: { phase: 'streaming' } });
    feed({ kind: 'state', node: 'node-b', state: { phase: 'reconnecting', failures: 2, delayMs: 500, error: 'connection refused' } });
    feed({ kind: 'stats', node: 'node-a', stats: makeStats({ seen: 3, dropped: 7, lost: 2, timeUnixMs: 0 }) });
    violation('node-a', { syscall: 'mkdir' });
    violation('node-a', { syscall: 'mkdir' });
    violation('node-a', { syscall: 'unshare', action: 'SCMP_ACT_KILL_PROCESS' });
    const out = await frame();
    expect(out).to.include('nodes 1/2');
    expect(out).to.include('node-b down 0s: connection refused');
    expect(out).to.include('total 3');
    expect(out).to.include('dropped 7');
    expect(out).to.include('lost 2');
    expect(out).to.include('namespace=shop');
    const mkdir = out.split('\n').find((l) => l.includes('mkdir'))!;
    expect(mkdir).to.match(/node-a\s+shop\/cart-1\s+app\s+mkdir\s+log\s+2\s+now/);
    expect(out).to.match(/unshare\s+kill_process\s+1/);
    await frame(5000);
    expect(lastFrame()).to.match(/mkdir\s+log\s+2\s+5s ago/);
  });

  it('p pauses the table (the header keeps counting) and p again resumes', async () => {
    mount();
    violation('node-a', { syscall: 'mkdir' });
    await frame();
    await press('p');
    violation('node-a', { syscall: 'chmod' });
    let out = await frame();
    expect(out).to.include('PAUSED');
    expect(out).to.include('total 2');
    expect(out).not.to.include('chmod');
    out = await press('p');
    expect(out).not.to.include('PAUSED');
    expect(out).to.include('chmod');
  });

  it('s cycles the sort: newest first, then by count, then by name', async () => {
    mount();
    for (let i = 0; i < 3; i++) violation('node-a', { syscall: 'zeta' });
    timers.advance(1000);
    violation('node-a', { syscall: 'alpha' });
    const order = (out: string) => ['alpha', 'zeta'].sort((x, y) => out.indexOf(` ${x} `) - out.indexOf(` ${y} `));
    let out = await frame();
    expect(out).to.include('sort recent');
    expect(order(out)).to.deep.equal(['alpha', 'zeta']);
    out = await press('s');
    expect(out).to.include('sort count');
    expect(order(out)).to.deep.equal(['zeta', 'alpha']);
    out = await press('s');
    expect(out).to.include('sort name');
    expect(order(out)).to.deep.equal(['alpha', 'zeta']);
  });

  it('f (or /) takes a filter text that matches any column', async () => {
    mount();
    violation('node-a', { syscall: 'mkdir' });
    violation('node-b', { syscall: 'unshare', pod: 'api-7' });
    await frame();
    let out = await press('/', 'a', 'p', 'i');
    expect(out).to.include('filter: api_');
    expect(out).not.to.include('PAUSED');
    out = await press('\r');
    expect(out).to.include('matching "api"');
    expect(out).to.include('unshare');
    expect(out).not.to.include('mkdir');
  });

  it('c clears the rows but not the totals nor the filter; esc clears the filter', async () => {
    mount();
    violation('node-a', { syscall: 'mkdir' });
    await frame();
    let out = await press('/', 'm', 'k', '\r');
    expect(out).to.include('matching "mk"');
    out = await press('c');
    expect(out).to.include('waiting for violations');
    expect(out).to.include('total 1');
    expect(out).to.include('matching "mk"');
    expect(out).not.to.match(/mkdir\s+log/);
    violation('node-a', { syscall: 'chmod', comm: 'chmod' });
    violation('node-a', { syscall: 'mkdir' });
    out = await frame();
    expect(out).to.match(/mkdir\s+log\s+1/);
    expect(out).not.to.include('chmod');
    out = await press('\x1b');
    expect(out).not.to.include('matching');
    expect(out).to.include('chmod');
  });

  it('keys that arrive in one chunk each apply: backspaces, a letter and enter', async () => {
    mount();
    violation('node-a', { syscall: 'mkdir' });
    violation('node-a', { syscall: 'unshare' });
    await frame();
    let out = await press('/', 'unxx');
    expect(out).to.include('filter: unxx_');
    out = await press('\x7f\x7f\x7fn\r');
    expect(out).to.include('matching "un"');
    expect(out).to.include('unshare');
    expect(out).not.to.include('mkdir');
    // Outside the filter prompt too: "s" then "p" written at once sort and pause.
    out = await press('sp');
    expect(out).to.include('sort count');
    expect(out).to.include('PAUSED');
  });

  it('? shows the keys and what the columns mean instead of the table, and ? again goes back', async () => {
    mount();
    violation('node-a', { syscall: 'mkdir' });
    await frame();
    let out = await press('?');
    expect(out).to.match(/Keys\n/);
    expect(out).to.match(/esc +clear the filter/);
    expect(out).to.match(/COUNT +violations with these columns/);
    expect(out).to.match(/lost N — why +records the node lost, by reason/);
    expect(out).not.to.match(/mkdir\s+log/);
    out = await press('?');
    expect(out).not.to.include('Keys');
    expect(out).to.match(/mkdir\s+log\s+1/);
  });

  it('explains losses by reason in the header, and names down nodes with how long and why', async () => {
    mount();
    feed({ kind: 'state', node: 'node-a', state: { phase: 'streaming' } });
    feed({
      kind: 'stats',
      node: 'node-a',
      stats: makeStats({
        lost: 13,
        dropped: 4,
        losses: [
          { reason: 'overwritten-while-down', count: 2 },
          { reason: 'kernel-suppressed', count: 11 },
        ],
      }),
    });
    feed({ kind: 'state', node: 'node-b', state: { phase: 'reconnecting', failures: 1, delayMs: 500, error: 'connection refused' } });
    timers.advance(60_000);
    feed({ kind: 'state', node: 'node-b', state: { phase: 'reconnecting', failures: 2, delayMs: 1000, error: 'connection refused' } });
    const out = await frame(60_000);
    expect(out).to.include('lost 11 — kernel rate limit (doctor: log.rate-limit), 2 — agent restart; dropped 4 — client too slow');
    // Down since the first failure, not the last retry.
    expect(out).to.include('node-b down 2m: connection refused');
    feed({ kind: 'state', node: 'node-b', state: { phase: 'streaming' } });
    expect(await frame()).not.to.include('node-b down');
  });

  it('at 80 columns: COUNT and LAST SEEN are whole, and no line is wider than the terminal', async () => {
    const { stdout } = mount();
    Object.defineProperty(stdout, 'columns', { value: 80 });
    feed({
      kind: 'state',
      node: 'node-b',
      state: { phase: 'failed', error: 'no agent: the node has no seccomp-agent pod (DaemonSet kubectl-seccomp/seccomp-agent)' },
    });
    feed({ kind: 'stats', node: 'node-a', stats: makeStats({ lost: 5, losses: [{ reason: 'audit-lost', count: 5 }] }) });
    violation('a-very-long-node-name-1', { syscall: 'clock_adjtime64', pod: 'checkout-frontend-7d9f8b6c4-x2x9z', action: 'SCMP_ACT_KILL_PROCESS' });
    // Seven digits: wider than the COUNT title.
    const openat = makeViolation({ syscall: 'openat', timeUnixMs: timers.nowMs });
    for (let i = 0; i < 1_234_567; i++) session.aggregator.add('node-a', openat, timers.nowMs);
    const out = await frame();
    const lines = out.split('\n');
    for (const line of lines) expect(line.length, line).to.be.at.most(80);
    expect(lines.find((l) => l.includes('openat'))).to.match(/ 1234567 +now$/);
    expect(lines.find((l) => l.includes('kill_process'))).to.match(/ 1 +now$/);
    expect(lines.find((l) => l.includes('COUNT'))).to.match(/COUNT +LAST SEEN$/);
    expect(out).to.include('lost 5 — audit backlog full (doctor: kernel.audit)');
    expect(out).to.include('node-b down 0s: no agent');
    expect(out).to.include('keys: ? help  p pause  s sort  f / filter  esc unfilter  c clear  q quit');
  });

  it('q and Ctrl-C ask the caller to quit (once)', async () => {
    const { stdin } = mount();
    stdin.write('q');
    await until(() => quits > 0, 'quit');
    stdin.write('\u0003');
    await flush();
    expect(quits).to.equal(1);
  });

  it('Ctrl-C quits too', async () => {
    const { stdin } = mount();
    stdin.write('\u0003');
    await until(() => quits > 0, 'quit');
    expect(quits).to.equal(1);
  });

  it('shows no more rows than the terminal has room for', async () => {
    mount();
    for (let i = 0; i < 200; i++) violation('node-a', { syscall: `sys${i}` });
    const out = await frame();
    const rows = out.split('\n').filter((l) => / sys\d+ /.test(l));
    expect(rows.length).to.be.greaterThan(5).and.at.most(24);
    expect(out).to.include('total 200');
  });

  it('a burst of 10,000 events ends with the right counts after a handful of renders', async () => {
    const { stdout } = mount();
    await frame(1000);
    const before = stdout.frames.length;
    for (let i = 0; i < 10_000; i++) {
      violation(i % 2 ? 'node-a' : 'node-b', { syscall: i % 3 === 0 ? 'mkdir' : 'chmod', auditId: `1.0:${i}` });
      if (i % 1000 === 999) timers.advance(50);
    }
    const out = await frame();
    expect(out).to.include('total 10000');
    const counts = out
      .split('\n')
      .filter((l) => / (mkdir|chmod) /.test(l))
      .map((l) => Number(/ (\d+)\s+now/.exec(l)?.[1]))
      .reduce((a, b) => a + b, 0);
    expect(counts).to.equal(10_000);
    // 500 ms of simulated time at most 10 frames/s: about 5 frames, never one per event.
    expect(stdout.frames.length - before).to.be.at.most(8);
  });

  it('says in the header when the row cap evicted rows', async () => {
    session = new WatchSession({ nodes: ['node-a'], filter: buildFilter({}), maxRows: 3, now: () => timers.now() });
    mount();
    for (const sys of ['a1', 'b2', 'c3', 'd4', 'e5']) violation('node-a', { syscall: sys });
    const out = await frame();
    expect(out).to.include('capped at 3: 2 least recent evicted');
    expect(out).to.include('total 5');
    expect(out).not.to.match(/ a1 | b2 /);
  });

  it('shows what is known without pod names: the container id and pod uid, else "exited before it could be named", never "(host)"', async () => {
    mount();
    const none = { namespace: '', pod: '', container: '', containerId: '', podUid: '' };
    violation('node-a', { ...none, containerId: '0123456789abcdef'.repeat(4), podUid: '6f1c2d3e-0000-4000-8000-000000000001', syscall: 'chown' });
    violation('node-a', { ...none, syscall: 'chmod' });
    violation('node-a', { ...none, syscall: 'chmod' });
    const out = await frame();
    expect(out).to.match(/container 0123456789ab pod 6f1c2d3e\s+chown/);
    expect(out).to.match(/exited before it could be named\s+chmod\s+log\s+2/);
    expect(out).to.include('unnamed 2');
    expect(out).not.to.include('(host)');
  });

  it('says how many violations the agents could not place in the pod filter', async () => {
    mount();
    feed({ kind: 'stats', node: 'node-a', stats: makeStats({ unattributed: 4 }) });
    expect(await frame()).to.include('unplaced 4');
  });

  it("names the -l pod selector with the agents' filter", async () => {
    session = new WatchSession({ nodes: ['node-a'], filter: buildFilter({ namespaces: ['shop'] }), podSelector: 'app=cart', now: () => timers.now() });
    expect(mount().lastFrame()).to.include('agent filter: namespace=shop pods -l app=cart');
  });

  it('-o wide adds the COMMAND and PID of the last process seen', async () => {
    mount(true);
    violation('node-a', { syscall: 'unshare', comm: 'runc:[2:INIT]', pid: 4242 });
    const out = await frame();
    expect(out).to.match(/ACTION +COMMAND +PID +COUNT +LAST SEEN/);
    expect(out).to.match(/unshare +log +runc:\[2:INIT\] +4242 +1 +now/);
  });
});
