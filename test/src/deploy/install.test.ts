import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { parseAllDocuments } from 'yaml';
import { node, TestApiServer } from '../harness/apiserver/index.js';
import { hasKubectl, kustomizeFor, kustomizeText, MANIFESTS, REPO, requirePrerequisite } from './kustomize.js';

const run = promisify(execFile);
const CLI = join(REPO, 'cli/bin/run.js');

async function cli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { ...process.env, KUBECONFIG: '/nonexistent' } });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe('deploy: install --dry-run', function () {
  before(function () {
    requirePrerequisite(this, hasKubectl(), 'kubectl (for `kubectl kustomize`) is not installed');
  });

  it('prints exactly the kustomize rendering of manifests/base by default (the embedded copy is current)', async () => {
    const out = await cli(['install', '--dry-run', '-o', 'yaml']);
    expect(out.code, out.stderr).to.equal(0);
    expect(out.stdout).to.equal(kustomizeText(join(MANIFESTS, 'base')));
  });

  it('with --image and --namespace equals kustomize with that namespace and image', async () => {
    const out = await cli(['install', '--dry-run', '-o', 'yaml', '--namespace', 'sec-agents', '--image', 'registry.example:5000/team/agent:9.9']);
    expect(out.code, out.stderr).to.equal(0);
    const expected = kustomizeFor('sec-agents', { name: 'registry.example:5000/team/agent', tag: '9.9' });
    expect(out.stdout).to.equal(expected);
    expect(out.stdout).to.not.contain('namespace: kubectl-seccomp');
  });

  it('refuses a namespace Kubernetes would refuse, naming the flag', async () => {
    const out = await cli(['install', '--dry-run', '--agent-namespace', 'Not_Valid']);
    expect(out.code).to.equal(2);
    expect(out.stderr).to.contain('--agent-namespace');
  });
});

describe('deploy: install and uninstall against an API server', () => {
  let api: TestApiServer;
  let kubeconfig: string;

  beforeEach(async () => {
    api = await TestApiServer.start({ daemonSetsBecomeReady: true });
    api.apply(node('node-a'));
    api.apply(node('node-b'));
    kubeconfig = await api.writeKubeconfig();
  });

  afterEach(async () => {
    await api.stop();
  });

  it('creates every object with server-side apply and waits for the DaemonSet to be ready', async () => {
    const out = await cli(['install', '--kubeconfig', kubeconfig, '--namespace', 'sec', '--image', 'example/agent:1', '-o', 'json', '--timeout', '30s']);
    expect(out.code, out.stderr).to.equal(0);
    const report = JSON.parse(out.stdout) as {
      objects: { kind: string; action: string }[];
      rollout: { complete: boolean; desired: number };
      notReady: unknown[];
    };
    expect(report.objects.map((o) => o.kind)).to.deep.equal([
      'Namespace',
      'ServiceAccount',
      'Role',
      'ClusterRole',
      'ClusterRole',
      'RoleBinding',
      'ClusterRoleBinding',
      'ClusterRoleBinding',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
      'DaemonSet',
      'DaemonSet',
    ]);
    expect(report.rollout).to.include({ complete: true, desired: 2 });
    expect(report.notReady).to.deep.equal([]);
    expect(out.stderr).to.contain('waiting for daemonset sec/seccomp-agent');

    const applies = api.requests.filter((r) => r.method === 'PATCH');
    expect(applies).to.have.length(12);
    expect(applies.every((r) => r.query.includes('fieldManager=kubectl-seccomp'))).to.equal(true);
    const ds = api.store.get({ group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet', namespaced: true }, 'sec', 'seccomp-agent');
    const container = (ds?.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0];
    expect(container?.image).to.equal('example/agent:1');
    const relay = api.store.get({ group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet', namespaced: true }, 'sec', 'seccomp-audit-relay');
    expect((relay?.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]?.image).to.equal('example/agent:1');
    const binding = api.store.get(
      { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
      undefined,
      'seccomp-agent',
    );
    expect((binding?.subjects as { namespace: string }[])[0]?.namespace).to.equal('sec');
    const readiness = api.store.get(
      { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
      undefined,
      'seccomp-agent-readiness',
    );
    expect((readiness?.subjects as { namespace: string }[])[0]?.namespace).to.equal('sec');
  });

  it('reports the nodes without a ready agent and exits 1 when the rollout does not finish in time', async () => {
    await api.stop();
    api = await TestApiServer.start();
    api.apply(node('node-a'));
    kubeconfig = await api.writeKubeconfig();
    const out = await cli(['install', '--kubeconfig', kubeconfig, '-o', 'json', '--timeout', '1s']);
    expect(out.code, out.stderr).to.equal(1);
    const report = JSON.parse(out.stdout) as { rollout: { complete: boolean }; notReady: { node: string; reason: string }[] };
    expect(report.rollout.complete).to.equal(false);
    expect(report.notReady).to.deep.equal([{ node: 'node-a', reason: 'no agent pod on this node (is the DaemonSet installed and tolerating its taints?)' }]);
  });

  it('applying twice succeeds (server-side apply is idempotent)', async () => {
    for (let i = 0; i < 2; i++) {
      const out = await cli(['install', '--kubeconfig', kubeconfig, '--no-wait', '-o', 'json']);
      expect(out.code, out.stderr).to.equal(0);
    }
    const ns = api.store.get({ group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false }, undefined, 'kubectl-seccomp');
    expect(ns?.metadata.name).to.equal('kubectl-seccomp');
  });

  it('uninstall deletes what install created and says the profile files stay', async () => {
    expect((await cli(['install', '--kubeconfig', kubeconfig, '--no-wait'])).code).to.equal(0);
    const out = await cli(['uninstall', '--kubeconfig', kubeconfig]);
    expect(out.code, out.stderr).to.equal(0);
    expect(out.stdout).to.contain('Profile files the agent wrote stay on the nodes');
    const ds = api.store.get({ group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet', namespaced: true }, 'kubectl-seccomp', 'seccomp-agent');
    expect(ds).to.equal(undefined);
    expect(
      api.store.get({ group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet', namespaced: true }, 'kubectl-seccomp', 'seccomp-audit-relay'),
    ).to.equal(undefined);
    const role = api.store.get(
      { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterroles', kind: 'ClusterRole', namespaced: false },
      undefined,
      'seccomp-agent',
    );
    expect(role).to.equal(undefined);
  });

  it('dry-run yaml can be fed to kubectl apply: every document is a complete object', async () => {
    const out = await cli(['install', '--dry-run', '-o', 'yaml']);
    const docs = parseAllDocuments(out.stdout).map((d) => d.toJS() as { apiVersion?: string; kind?: string; metadata?: { name?: string } });
    expect(docs.every((d) => d.apiVersion && d.kind && d.metadata?.name)).to.equal(true);
  });
});
