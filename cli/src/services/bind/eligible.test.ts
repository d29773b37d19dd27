import { expect } from 'chai';
import type { V1Node, V1PodSpec } from '@kubernetes/client-node';
import { eligibleNodes } from './eligible.js';

const node = (name: string, labels: Record<string, string> = {}, spec: V1Node['spec'] = {}): V1Node => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
  spec,
});
const NODES = [
  node('a', { zone: 'z1', gen: '3' }),
  node('b', { zone: 'z2', gen: '5' }),
  node('gpu', { zone: 'z1' }, { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] }),
  node('cordoned', {}, { unschedulable: true }),
  node('soft', {}, { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] }),
];
const spec = (s: Partial<V1PodSpec>): V1PodSpec => ({ containers: [], ...s });
const run = (s: Partial<V1PodSpec>, daemonSet = false) => eligibleNodes(spec(s), NODES, { daemonSet });

describe('eligibleNodes', () => {
  it('without constraints: every node but tainted and cordoned ones, each with its reason', () => {
    const out = run({});
    expect(out.eligible).to.deep.equal(['a', 'b', 'soft']);
    expect(out.excluded).to.deep.equal([
      { node: 'gpu', reason: 'taint gpu=true:NoSchedule not tolerated' },
      { node: 'cordoned', reason: 'cordoned (unschedulable)' },
    ]);
  });

  it('honours nodeSelector, nodeName and tolerations (Equal and Exists); DaemonSets go to cordoned nodes', () => {
    expect(run({ nodeSelector: { zone: 'z1' } }).eligible).to.deep.equal(['a']);
    expect(run({ nodeName: 'b' }).eligible).to.deep.equal(['b']);
    expect(run({ tolerations: [{ key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }] }).eligible).to.include('gpu');
    expect(run({ tolerations: [{ key: 'gpu', operator: 'Equal', value: 'false' }] }).eligible).to.not.include('gpu');
    expect(run({ tolerations: [{ operator: 'Exists' }] }).eligible).to.include('gpu');
    expect(run({}, true).eligible).to.include('cordoned');
  });

  it('evaluates required node affinity: terms ORed, expressions ANDed, Gt/Lt and matchFields', () => {
    const affinity = (
      terms: NonNullable<
        NonNullable<NonNullable<V1PodSpec['affinity']>['nodeAffinity']>['requiredDuringSchedulingIgnoredDuringExecution']
      >['nodeSelectorTerms'],
    ) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
    expect(run(affinity([{ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }] }])).eligible).to.deep.equal(['b']);
    expect(
      run(
        affinity([
          {
            matchExpressions: [
              { key: 'zone', operator: 'In', values: ['z1'] },
              { key: 'gen', operator: 'Exists' },
            ],
          },
          { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['soft'] }] },
        ]),
      ).eligible,
    ).to.deep.equal(['a', 'soft']);
    expect(run(affinity([{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['z1', 'z2'] }] }])).eligible).to.deep.equal(['soft']);
  });
});
