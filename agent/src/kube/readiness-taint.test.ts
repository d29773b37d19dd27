import { READINESS_TAINT_KEY } from '@kubectl-seccomp/proto';
import type { V1Taint } from '@kubernetes/client-node';
import { expect } from 'chai';
import { taintRemovalPatch } from './readiness-taint.js';

const ours: V1Taint = { key: READINESS_TAINT_KEY, effect: 'NoSchedule' };
const notReady: V1Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: new Date('2026-01-01T00:00:00Z') };
const dedicated: V1Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

describe('taintRemovalPatch', function () {
  it('is nothing to do without taints, or without the readiness taint', function () {
    expect(taintRemovalPatch(undefined)).to.equal(undefined);
    expect(taintRemovalPatch([])).to.equal(undefined);
    expect(taintRemovalPatch([notReady, dedicated])).to.equal(undefined);
  });

  it('removes only the readiness taint, at its index, after testing its key there', function () {
    expect(taintRemovalPatch([notReady, ours, dedicated])).to.deep.equal([
      { op: 'test', path: '/spec/taints/1/key', value: READINESS_TAINT_KEY },
      { op: 'remove', path: '/spec/taints/1' },
    ]);
  });

  it('removes every entry with the key, the highest index first so earlier indexes stay valid', function () {
    expect(taintRemovalPatch([ours, dedicated, { ...ours, effect: 'NoExecute' }])).to.deep.equal([
      { op: 'test', path: '/spec/taints/2/key', value: READINESS_TAINT_KEY },
      { op: 'remove', path: '/spec/taints/2' },
      { op: 'test', path: '/spec/taints/0/key', value: READINESS_TAINT_KEY },
      { op: 'remove', path: '/spec/taints/0' },
    ]);
  });

  it('does not match a key that only starts like ours', function () {
    expect(taintRemovalPatch([{ key: `${READINESS_TAINT_KEY}-extra`, effect: 'NoSchedule' }])).to.equal(undefined);
  });
});
