import { expect } from 'chai';
import type { V1Namespace, V1Node, V1Pod } from '@kubernetes/client-node';
import { READINESS_TAINT_KEY } from '@kubectl-seccomp/proto';
import type { AgentReport } from '../targets/types.js';
import { clusterFindings, type ClusterSnapshot } from './cluster-checks.js';

function pod(name: string, node: string, spec: Partial<NonNullable<V1Pod['spec']>> = {}, annotations?: Record<string, string>): V1Pod {
  return {
    metadata: { name, namespace: 'shop', annotations },
    spec: { nodeName: node, containers: [{ name: 'app' }], ...spec },
    status: { phase: 'Running' },
  };
}

function snapshot(pods: V1Pod[], extra: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  const namespaces: V1Namespace[] = [{ metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } }];
  return {
    nodes: [],
    pods,
    namespaces,
    profiles: new Map([['n1', new Set(['kubectl-seccomp/web.json'])]]),
    seccompDefault: new Map([['n1', true]]),
    ...extra,
  };
}

const localhost = (path: string) => ({ securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: path } } });

describe('cluster checks', () => {
  it('passes every check on a healthy cluster', () => {
    const findings = clusterFindings(snapshot([pod('web', 'n1', localhost('kubectl-seccomp/web.json'))]));
    expect(
      findings.every((f) => f.status === 'pass'),
      JSON.stringify(findings),
    ).to.equal(true);
    expect(findings.map((f) => f.id)).to.include.members(['pod.localhost-profile-missing', 'pod.unconfined', 'namespace.pod-security']);
  });

  it('fails a pod whose Localhost profile is not on its node, naming pod, node and profile', () => {
    const findings = clusterFindings(snapshot([pod('api', 'n1', localhost('kubectl-seccomp/api.json'))]));
    const f = findings.find((x) => x.id === 'pod.localhost-profile-missing');
    expect(f?.status).to.equal('fail');
    expect(f?.object).to.equal('pod/shop/api');
    expect(f?.summary).to.contain('kubectl-seccomp/api.json').and.contain('n1');
    expect(f?.remedy).to.contain('kubectl seccomp push');
  });

  it('skips the profile check on a node whose profiles are unknown', () => {
    const findings = clusterFindings(snapshot([pod('api', 'n9', localhost('x.json'))]));
    expect(findings.find((x) => x.id === 'pod.localhost-profile-missing')?.status).to.equal('skip');
  });

  it('uses the container profile over the pod profile', () => {
    const p = pod('mixed', 'n1', {
      ...localhost('missing.json'),
      containers: [{ name: 'app', securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }],
    });
    expect(clusterFindings(snapshot([p])).find((x) => x.id === 'pod.localhost-profile-missing')?.status).to.equal('pass');
  });

  it('warns on Unconfined, and on no profile where the kubelet default is off or unknown', () => {
    const pods = [pod('a', 'n1', { securityContext: { seccompProfile: { type: 'Unconfined' } } }), pod('b', 'n2'), pod('c', 'n1')];
    const warned = clusterFindings(snapshot(pods))
      .filter((x) => x.id === 'pod.unconfined')
      .map((x) => x.object);
    expect(warned).to.deep.equal(['pod/shop/a', 'pod/shop/b']);
  });

  it('warns that a privileged container ignores its profile', () => {
    const p = pod('priv', 'n1', { containers: [{ name: 'app', securityContext: { privileged: true, seccompProfile: { type: 'RuntimeDefault' } } }] });
    const f = clusterFindings(snapshot([p])).find((x) => x.id === 'pod.privileged-profile-ignored');
    expect(f?.status).to.equal('warn');
  });

  it('warns on the removed seccomp annotations', () => {
    const p = pod('old', 'n1', localhost('kubectl-seccomp/web.json'), { 'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default' });
    const f = clusterFindings(snapshot([p])).find((x) => x.id === 'pod.deprecated-annotation');
    expect(f?.status).to.equal('warn');
    expect(f?.summary).to.contain('seccomp.security.alpha.kubernetes.io/pod');
  });

  it('warns on namespaces without a Pod Security enforce label', () => {
    const f = clusterFindings(snapshot([], { namespaces: [{ metadata: { name: 'legacy' } }] })).find((x) => x.id === 'namespace.pod-security');
    expect(f?.status).to.equal('warn');
    expect(f?.remedy).to.contain('kubectl label namespace legacy');
  });

  it('ignores finished pods', () => {
    const done = { ...pod('job', 'n1', localhost('gone.json')), status: { phase: 'Succeeded' } };
    expect(clusterFindings(snapshot([done])).find((x) => x.id === 'pod.localhost-profile-missing')?.status).to.equal('pass');
  });

  describe('node.profiles-not-ready', () => {
    const tainted = (name: string, key = READINESS_TAINT_KEY): V1Node => ({
      metadata: { name },
      spec: {
        taints: [
          { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
          { key, effect: 'NoSchedule' },
        ],
      },
    });
    const reports = (...r: AgentReport[]): Map<string, AgentReport> => new Map(r.map((x) => [x.node, x]));
    const reconcile = (status: 'pass' | 'warn' | 'fail', summary: string, detail = '', remedy = '') => ({
      id: 'profiles.reconcile',
      status,
      summary,
      detail,
      remedy,
    });
    const findings = (nodes: V1Node[], agents: Map<string, AgentReport>) =>
      clusterFindings(snapshot([], { nodes, agents })).filter((f) => f.id === 'node.profiles-not-ready');

    it('passes when no node has the taint, other taints aside', () => {
      expect(findings([tainted('n1', 'other')], reports()).map((f) => f.status)).to.deep.equal(['pass']);
    });

    it('names each tainted node with why: no agent, no answer, not selected', () => {
      const f = findings(
        [tainted('n1'), tainted('n2'), tainted('n3')],
        reports({ node: 'n1', problem: 'no agent pod on this node' }, { node: 'n2', problem: 'its agent did not answer: timeout' }),
      );
      expect(f.map((x) => [x.object, x.status])).to.deep.equal([
        ['node/n1', 'warn'],
        ['node/n2', 'warn'],
        ['node/n3', 'warn'],
      ]);
      expect(f[0]?.summary).to.equal(`n1 keeps the readiness taint ${READINESS_TAINT_KEY}: no agent answers for it`);
      expect(f[0]?.detail).to.equal('no agent pod on this node');
      expect(f[1]?.detail).to.equal('its agent did not answer: timeout');
      expect(f[2]?.remedy).to.equal('run kubectl seccomp doctor --node n3');
    });

    it("passes on the agent's own reason and fix when its reconcile is incomplete or the taint is forbidden", () => {
      const f = findings(
        [tainted('n1'), tainted('n2')],
        reports(
          { node: 'n1', checks: [reconcile('fail', 'the last reconcile left 1 recorded profile problem on this node', 'a.json: EEXIST', 'free the path')] },
          { node: 'n2', checks: [reconcile('warn', 'every recorded profile is on disk, but the readiness taint could not be removed', 'forbidden: no')] },
        ),
      );
      expect(f[0]).to.include({ status: 'fail', detail: 'a.json: EEXIST', remedy: 'free the path' });
      expect(f[0]?.summary).to.match(/its agent reports: the last reconcile left 1 recorded profile problem/);
      expect(f[1]).to.include({ status: 'warn', detail: 'forbidden: no' });
    });
  });
});
