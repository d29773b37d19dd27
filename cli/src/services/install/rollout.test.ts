import type { V1DaemonSet, V1Node, V1Pod } from '@kubernetes/client-node';
import { expect } from 'chai';
import { nodesWithoutAgent, rolloutStatus } from './rollout.js';

function ds(generation: number, status: V1DaemonSet['status']): V1DaemonSet {
  return { metadata: { name: 'seccomp-agent', generation }, status };
}

const counts = (n: number) => ({
  desiredNumberScheduled: 3,
  currentNumberScheduled: 3,
  numberMisscheduled: 0,
  updatedNumberScheduled: n,
  numberReady: n,
  numberAvailable: n,
});

describe('install: rollout status', () => {
  it('is complete when every scheduled node runs an updated, available pod of the latest spec', () => {
    expect(rolloutStatus(ds(2, { observedGeneration: 2, ...counts(3) }))).to.deep.equal({ complete: true, desired: 3, updated: 3, ready: 3, available: 3 });
  });

  it('is not complete while pods are missing, or before the controller has seen the new spec', () => {
    expect(rolloutStatus(ds(2, { observedGeneration: 2, ...counts(2) })).complete).to.equal(false);
    expect(rolloutStatus(ds(3, { observedGeneration: 2, ...counts(3) })).complete).to.equal(false);
    expect(rolloutStatus(ds(1, undefined)).complete).to.equal(false);
  });

  it('names linux nodes without a ready agent pod and why; other OSes are not expected to have one', () => {
    const nodes: V1Node[] = [
      { metadata: { name: 'a', labels: { 'kubernetes.io/os': 'linux' } } },
      { metadata: { name: 'b' } },
      { metadata: { name: 'win', labels: { 'kubernetes.io/os': 'windows' } } },
    ];
    const pods: V1Pod[] = [
      {
        metadata: { name: 'agent-a', namespace: 'ns' },
        spec: { nodeName: 'a', containers: [] },
        status: {
          phase: 'Pending',
          containerStatuses: [{ name: 'agent', image: 'x', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } }],
        },
      },
    ];
    const missing = nodesWithoutAgent(nodes, pods);
    expect(missing.map((m) => m.node)).to.deep.equal(['a', 'b']);
    expect(missing[0]!.reason).to.contain('ImagePullBackOff');
    expect(missing[1]!.reason).to.contain('no agent pod');
  });
});
