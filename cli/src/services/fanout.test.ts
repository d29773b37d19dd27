import { expect } from 'chai';
import { AgentError, type AgentApi, type DoctorResponse } from '@kubectl-seccomp/proto';
import type { AgentTarget } from '../targets/types.js';
import { fanOut } from './fanout.js';

/** An in-memory target whose doctor() does what `answer` says; records opens and closes. */
function target(node: string, answer: (signal: AbortSignal) => Promise<DoctorResponse>, log: string[]): AgentTarget {
  return {
    node,
    via: 'direct',
    endpoint: `${node}:1`,
    async open() {
      log.push(`open ${node}`);
      const api = { doctor: (opts?: { signal?: AbortSignal }) => answer(opts!.signal!) } as unknown as AgentApi;
      return { api, close: async () => void log.push(`close ${node}`) };
    },
  };
}

const answer = (node: string): DoctorResponse => ({ node: { nodeName: node } as DoctorResponse['node'], checks: [], containers: [] });
const never = (signal: AbortSignal): Promise<DoctorResponse> =>
  // Like a hung agent that ignores cancellation: only the fan-out's own deadline can end it.
  new Promise(() => void signal);

describe('fanOut', () => {
  it('reports a hung node as timed out without holding up the others, and closes every connection', async () => {
    const log: string[] = [];
    const targets = [target('slow', never, log), target('a', async () => answer('a'), log), target('b', async () => answer('b'), log)];
    const outcomes = await fanOut(targets, (api, ctx) => api.doctor(ctx.call()), { concurrency: 2, timeoutMs: 300 });
    expect(outcomes.map((o) => [o.node, o.ok])).to.deep.equal([
      ['slow', false],
      ['a', true],
      ['b', true],
    ]);
    const slow = outcomes[0]!;
    expect(!slow.ok && slow.failure).to.deep.equal({ kind: 'timeout', message: 'no answer within 300ms' });
    expect(log.filter((l) => l.startsWith('close')).sort()).to.deep.equal(['close a', 'close b', 'close slow']);
  });

  it('classifies agent errors by code and failures to connect as unreachable', async () => {
    const log: string[] = [];
    const unreachable: AgentTarget = { node: 'gone', via: 'port-forward', endpoint: 'pod x/y', open: async () => Promise.reject(new Error('pod not running')) };
    const targets = [
      unreachable,
      target('refused', async () => Promise.reject(new AgentError('unavailable', 'connection refused')), log),
      target('broken', async () => Promise.reject(new AgentError('internal', 'disk full')), log),
    ];
    const outcomes = await fanOut(targets, (api, ctx) => api.doctor(ctx.call()), { concurrency: 16, timeoutMs: 5000 });
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.failure))).to.deep.equal([
      { kind: 'unreachable', message: 'pod not running' },
      { kind: 'unreachable', code: 'unavailable', message: 'connection refused' },
      { kind: 'agent-error', code: 'internal', message: 'disk full' },
    ]);
  });

  it('never runs more than `concurrency` nodes at once', async () => {
    let running = 0;
    let peak = 0;
    const log: string[] = [];
    const busy = async (): Promise<DoctorResponse> => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running--;
      return answer('n');
    };
    const targets = Array.from({ length: 7 }, (_, i) => target(`n${i}`, busy, log));
    const outcomes = await fanOut(targets, (api, ctx) => api.doctor(ctx.call()), { concurrency: 3, timeoutMs: 5000 });
    expect(outcomes.every((o) => o.ok)).to.equal(true);
    expect(peak).to.equal(3);
  });

  it('cancels every node when the command is interrupted', async () => {
    const log: string[] = [];
    const ac = new AbortController();
    const targets = [target('a', never, log), target('b', never, log)];
    const running = fanOut(targets, (api, ctx) => api.doctor(ctx.call()), { concurrency: 2, timeoutMs: 60_000, signal: ac.signal });
    setImmediate(() => ac.abort());
    const outcomes = await running;
    expect(outcomes.map((o) => !o.ok && o.failure.kind)).to.deep.equal(['cancelled', 'cancelled']);
    expect(log.filter((l) => l.startsWith('close')).sort()).to.deep.equal(['close a', 'close b']);
  });
});
