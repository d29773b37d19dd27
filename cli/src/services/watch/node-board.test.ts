import { expect } from 'chai';
import { makeStats, makeViolation } from '../../testing/fake-agent.js';
import { NodeBoard } from './node-board.js';

const stats = (seen: number, dropped: number, lost: number) => ({
  kind: 'stats' as const,
  node: 'a',
  stats: makeStats({ seen, dropped, lost, sources: [{ name: 'kmsg', healthy: false, error: 'EPERM', records: seen, lost, damaged: 0 }] }),
});

describe('watch node board', () => {
  it('sums the per-stream counters over reconnects and counts the reconnects', () => {
    const board = new NodeBoard(['a', 'b']);
    board.apply({ kind: 'state', node: 'a', state: { phase: 'streaming' } });
    board.apply(stats(5, 1, 2));
    board.apply(stats(10, 2, 3));
    board.apply({ kind: 'state', node: 'a', state: { phase: 'reconnecting', failures: 1, delayMs: 250, error: 'gone' } });
    board.apply({ kind: 'state', node: 'a', state: { phase: 'streaming' } });
    board.apply(stats(4, 0, 1));
    board.apply({ kind: 'violation', node: 'a', violation: makeViolation() });
    const a = board.list().find((n) => n.node === 'a')!;
    expect(a).to.include({ seen: 14, dropped: 2, lost: 4, violations: 1, reconnects: 1 });
    expect(a.sources[0]).to.include({ name: 'kmsg', healthy: false, error: 'EPERM' });
    expect(board.connected()).to.equal(1);
  });

  it('is done only once every node failed or stopped', () => {
    const board = new NodeBoard(['a', 'b']);
    board.apply({ kind: 'state', node: 'a', state: { phase: 'failed', error: 'refused' } });
    expect(board.allDone()).to.equal(false);
    board.apply({ kind: 'state', node: 'b', state: { phase: 'failed', error: 'refused' } });
    expect(board.allDone()).to.equal(true);
  });

  it('keeps a renamed node in its place with its counters, and sums losses by reason over reconnects', () => {
    const board = new NodeBoard(['10.0.0.1:50051', 'b']);
    board.apply({ kind: 'state', node: '10.0.0.1:50051', state: { phase: 'streaming' } });
    board.apply({ kind: 'named', node: '10.0.0.1:50051', name: 'worker-1' });
    board.apply({ kind: 'stats', node: 'worker-1', stats: makeStats({ lost: 3, losses: [{ reason: 'ring-overrun', count: 3 }], unattributed: 2 }) });
    board.apply({ kind: 'state', node: 'worker-1', state: { phase: 'reconnecting', failures: 1, delayMs: 250, error: 'gone' } });
    board.apply({ kind: 'state', node: 'worker-1', state: { phase: 'streaming' } });
    board.apply({ kind: 'stats', node: 'worker-1', stats: makeStats({ lost: 5, losses: [{ reason: 'overwritten-while-down', count: 4 }], unattributed: 1 }) });
    const list = board.list();
    expect(list.map((n) => n.node)).to.deep.equal(['worker-1', 'b']);
    expect(list[0]).to.deep.include({ lost: 8, unattributed: 3, reconnects: 1 });
    expect(list[0]!.losses).to.deep.equal([
      { reason: 'ring-overrun', count: 3 },
      { reason: 'overwritten-while-down', count: 4 },
      { reason: 'unspecified', count: 1 },
    ]);
  });
});
