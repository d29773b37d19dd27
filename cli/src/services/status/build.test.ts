import { expect } from 'chai';
import type { V1Pod } from '@kubernetes/client-node';
import type { ContainerProcess, NodeInfo, ProfileInfo } from '@kubectl-seccomp/proto';
import { renderForNode, serializeProfile, type SeccompProfile } from '@kubectl-seccomp/profiles';
import { node } from '@kubectl-seccomp/proto/testing';
import { buildStatus, type NodeFacts } from './build.js';

const info: NodeInfo = { ...node, architectures: ['SCMP_ARCH_X86_64'], kernelRelease: '6.8.0' };
const profile: SeccompProfile = { defaultAction: 'SCMP_ACT_LOG' };
const P = 'kubectl-seccomp/web.json';
const sha = renderForNode(profile, info).sha256;
const file = (changedUnixMs: number, sha256 = sha): ProfileInfo => ({ path: P, sha256, size: 1, managed: true, error: '', changedUnixMs });
const proc = (containerId: string, mode: ContainerProcess['mode']): ContainerProcess => ({ containerId, podUid: '', pid: 1, comm: 'sh', mode, filters: 1 });
const pod = (name: string, node: string, id: string, startedAt: string): V1Pod => ({
  metadata: { name, namespace: 'shop' },
  spec: { nodeName: node, securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: P } }, containers: [{ name: 'web' }] },
  status: {
    phase: 'Running',
    containerStatuses: [
      {
        name: 'web',
        image: '',
        imageID: '',
        ready: true,
        restartCount: 0,
        containerID: `containerd://${id}`,
        state: { running: { startedAt: new Date(startedAt) } },
      },
    ],
  },
});

describe('buildStatus', () => {
  const T = Date.parse('2026-12-05T12:00:00Z');
  const nodes: NodeFacts[] = [
    { node: 'a', info, files: [file(T - 60_000)], containers: [proc('aaa', 'filter')] },
    { node: 'b', info, files: [file(T + 60_000)], containers: [proc('bbb', 'disabled')] },
    { node: 'c', info, files: [file(T, 'f00')], containers: [] },
  ];
  const out = buildStatus({
    recorded: new Map([[P, serializeProfile(profile)]]),
    pods: [pod('web-a', 'a', 'aaa', '2026-12-05T12:00:00Z'), pod('web-b', 'b', 'bbb', '2026-12-05T12:00:00Z')],
    nodes,
    unreachable: [{ node: 'd', reason: 'timeout' }],
  });

  it('lists per node whether it holds the recorded version', () => {
    const [p] = out.profiles;
    expect(p!.localhostProfile).to.equal(P);
    expect(p!.recorded).to.equal(true);
    expect(p!.nodes.map((n) => [n.node, n.status])).to.deep.equal([
      ['a', 'ok'],
      ['b', 'ok'],
      ['c', 'different'],
    ]);
  });

  it('flags a container started before its node wrote the current version, and one not in filter mode', () => {
    const byPod = new Map(out.profiles[0]!.containers.map((c) => [c.pod, c]));
    expect(byPod.get('web-a')).to.include({ stale: false, mode: 'filter', notFiltered: false, containerId: 'aaa' });
    expect(byPod.get('web-b')).to.include({ stale: true, mode: 'disabled', notFiltered: true });
    expect(out.summary).to.deep.equal({ profiles: 1, outOfSync: 1, containers: 2, stale: 1, notFiltered: 1 });
    expect(out.unreachable).to.deep.equal([{ node: 'd', reason: 'timeout' }]);
  });

  it('narrows to one profile', () => {
    expect(buildStatus({ recorded: new Map(), pods: [], nodes, unreachable: [], only: 'other.json' }).profiles).to.deep.equal([]);
  });
});
