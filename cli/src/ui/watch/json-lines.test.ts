import { expect } from 'chai';
import { makeStats, makeViolation } from '../../testing/fake-agent.js';
import { jsonLinesSink, violationRecord } from './json-lines.js';

describe('watch JSON lines', () => {
  it('writes each violation as one JSON object with the node the CLI selected', () => {
    const out: string[] = [];
    const err: string[] = [];
    const sink = jsonLinesSink({ stdout: { write: (s) => out.push(s) }, stderr: { write: (s) => err.push(s) }, stats: false });
    sink({ kind: 'violation', node: 'worker-1', violation: makeViolation({ node: 'ip-10-0-0-1' }) });
    sink({ kind: 'stats', node: 'worker-1', stats: makeStats({ seen: 1, timeUnixMs: 5 }) });
    expect(out).to.have.length(1);
    expect(out[0]!.endsWith('\n')).to.equal(true);
    const rec = JSON.parse(out[0]!) as Record<string, unknown>;
    expect(rec).to.include({ kind: 'violation', node: 'worker-1', syscall: 'mkdir', action: 'SCMP_ACT_LOG', auditId: '1795369472.866:2' });
    expect(Object.keys(rec)).to.deep.equal(Object.keys(violationRecord('x', makeViolation())));
    expect(err).to.deep.equal([]);
  });

  it('writes stats lines with --stats (with the violations -l left unplaced on that node so far), and connection news on stderr only', () => {
    const out: string[] = [];
    const err: string[] = [];
    const sink = jsonLinesSink({ stdout: { write: (s) => out.push(s) }, stderr: { write: (s) => err.push(s) }, stats: true });
    sink({
      kind: 'stats',
      node: 'a',
      stats: makeStats({ seen: 3, dropped: 1, lost: 2, timeUnixMs: 5, nodeName: 'a', losses: [{ reason: 'ring-overrun', count: 2 }], unattributed: 1 }),
    });
    sink({ kind: 'unplaced', node: 'a' });
    sink({ kind: 'unplaced', node: 'a' });
    sink({ kind: 'unplaced', node: 'b' });
    sink({ kind: 'stats', node: 'a', stats: makeStats({ seen: 4, timeUnixMs: 6, nodeName: 'a' }) });
    sink({ kind: 'state', node: 'a', state: { phase: 'streaming' } });
    sink({ kind: 'state', node: 'a', state: { phase: 'reconnecting', failures: 1, delayMs: 250, error: 'connection refused' } });
    sink({ kind: 'state', node: 'a', state: { phase: 'connecting', attempt: 2 } });
    sink({ kind: 'state', node: 'a', state: { phase: 'streaming' } });
    expect(out.map((l) => JSON.parse(l) as unknown)).to.deep.equal([
      {
        kind: 'stats',
        node: 'a',
        seen: 3,
        dropped: 1,
        lost: 2,
        losses: [{ reason: 'ring-overrun', count: 2 }],
        unattributed: 1,
        unplaced: 0,
        sources: [],
        timeUnixMs: 5,
      },
      { kind: 'stats', node: 'a', seen: 4, dropped: 0, lost: 0, losses: [], unattributed: 0, unplaced: 2, sources: [], timeUnixMs: 6 },
    ]);
    expect(err).to.deep.equal(['node a: stream lost (connection refused); reconnecting in 250 ms\n', 'node a: reconnected\n']);
  });
});
