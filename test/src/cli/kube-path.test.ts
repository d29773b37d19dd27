import { expect } from 'chai';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DoctorOutput } from '@kubectl-seccomp/cli';
import { runCli, type CliRun as Run } from '@kubectl-seccomp/cli/testing';
import { namespace, node, pod, TestApiServer } from '../harness/apiserver/index.js';
import { killStrayAgents, startAgentProcess, type AgentProcess } from '../harness/agent-process.js';

const HEALTHY = fileURLToPath(new URL('../../../agent/fixtures/hosts/healthy', import.meta.url));
const NS = 'kubectl-seccomp';

const cli = (args: string[], kubeconfig: string): Promise<Run> => runCli([...args, '--kubeconfig', kubeconfig]);

function json<T>(run: Run): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`no JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
}

describe('the Kubernetes path: discovery, port-forward to real agents, cluster checks', function () {
  this.timeout(90000);
  let api: TestApiServer;
  let kubeconfig: string;
  const agents: AgentProcess[] = [];
  const roots: string[] = [];

  before(async () => {
    api = await TestApiServer.start();
    kubeconfig = await api.writeKubeconfig();
    api.apply(namespace(NS, { 'pod-security.kubernetes.io/enforce': 'privileged' }));
    api.apply(namespace('shop', { 'pod-security.kubernetes.io/enforce': 'baseline' }));
    api.apply(node('node-a', { pool: 'web' }));
    api.apply(node('node-b', { pool: 'batch' }));
    api.apply(node('node-c', { pool: 'web' }));
    for (const name of ['node-a', 'node-b']) {
      const root = await mkdtemp(join(tmpdir(), `kube-path-${name}-`));
      roots.push(root);
      await cp(HEALTHY, root, { recursive: true, verbatimSymlinks: true });
      const agent = await startAgentProcess(['--host-root', root, '--node-name', name, '--kube', 'off', '--sources', 'auditlog']);
      agents.push(agent);
      const podName = `seccomp-agent-${name}`;
      api.apply(
        pod(podName, { namespace: NS, node: name, labels: { 'app.kubernetes.io/name': 'seccomp-agent' }, ports: [{ name: 'grpc', containerPort: 50051 }] }),
      );
      const [host, port] = agent.address.split(':');
      api.routePortForward(NS, podName, 50051, { host: host!, port: Number(port) });
    }
    // A workload that references a profile no node has, and one that runs Unconfined.
    api.apply(
      pod('checkout', {
        namespace: 'shop',
        node: 'node-a',
        podSecurityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'kubectl-seccomp/checkout.json' } },
      }),
    );
    api.apply(pod('legacy', { namespace: 'shop', node: 'node-b', podSecurityContext: { seccompProfile: { type: 'Unconfined' } } }));
  });

  after(async () => {
    await killStrayAgents();
    await api?.stop();
    await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
  });

  it('finds the agents by label, reaches them through port-forward, and names the node without one', async () => {
    const run = await cli(['doctor', '-o', 'json'], kubeconfig);
    const out = json<DoctorOutput>(run);
    const byNode = Object.fromEntries(out.nodes.map((n) => [n.node, n]));
    expect(byNode['node-a']).to.include({ via: 'port-forward', endpoint: `pod ${NS}/seccomp-agent-node-a`, status: 'ok' });
    expect(byNode['node-b']).to.include({ status: 'ok' });
    expect(byNode['node-a']!.checks.map((c) => c.id)).to.include('kubelet.seccomp-default');
    expect(byNode['node-c']).to.include({ status: 'no-agent', via: 'none' });
    expect(byNode['node-c']!.error?.message).to.match(/no agent pod/);
    expect(run.code).to.equal(2);
    expect(api.requests.some((r) => r.path.endsWith('/portforward'))).to.equal(true);
  });

  it('reports cluster checks from the pods: a missing Localhost profile fails, Unconfined warns', async () => {
    const out = json<DoctorOutput>(await cli(['doctor', '-o', 'json'], kubeconfig));
    const missing = out.cluster.find((c) => c.id === 'pod.localhost-profile-missing');
    expect(missing).to.include({ status: 'fail', object: 'pod/shop/checkout' });
    expect(missing!.summary).to.contain('kubectl-seccomp/checkout.json');
    expect(out.cluster.find((c) => c.id === 'pod.unconfined' && c.object === 'pod/shop/legacy')?.status).to.equal('warn');
  });

  it('selects nodes by name and by label', async () => {
    const one = json<DoctorOutput>(await cli(['doctor', '-o', 'json', '--node', 'node-b'], kubeconfig));
    expect(one.nodes.map((n) => n.node)).to.deep.equal(['node-b']);
    const web = json<DoctorOutput>(await cli(['doctor', '-o', 'json', '-l', 'pool=web'], kubeconfig));
    expect(web.nodes.map((n) => n.node).sort()).to.deep.equal(['node-a', 'node-c']);
  });

  it('push writes the profile on every agent node and records it as a ConfigMap; the pod check then passes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kube-path-profiles-'));
    roots.push(dir);
    const text =
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","write","exit_group","execve","openat","close","fstatfs","getdents64"],"action":"SCMP_ACT_ALLOW"}]}';
    await import('node:fs/promises').then((fs) => fs.writeFile(join(dir, 'checkout.json'), text));
    const run = await cli(['push', join(dir, 'checkout.json'), '--node', 'node-a', '--node', 'node-b', '-o', 'json'], kubeconfig);
    const out = json<{ nodes: { node: string; results: { outcome: string; localhostProfile: string }[] }[]; recorded?: { ok: boolean } }>(run);
    expect(out.recorded).to.deep.equal({ ok: true, error: '' });
    expect(run.code, run.stderr).to.equal(0);
    expect(out.nodes.map((n) => [n.node, n.results[0]?.outcome])).to.deep.equal([
      ['node-a', 'created'],
      ['node-b', 'created'],
    ]);
    for (const root of roots.slice(0, 2)) {
      const onDisk = JSON.parse(await readFile(join(root, 'var/lib/kubelet/seccomp/kubectl-seccomp/checkout.json'), 'utf8')) as unknown;
      expect(onDisk).to.deep.equal(JSON.parse(text));
    }
    const cms = api.list('v1', 'ConfigMap', NS);
    const recorded = cms.find((cm) => cm.metadata.annotations?.['kubectl-seccomp.io/path'] === 'kubectl-seccomp/checkout.json');
    expect(recorded?.metadata.labels).to.include({ 'kubectl-seccomp.io/profile': 'true' });

    const after = json<DoctorOutput>(await cli(['doctor', '-o', 'json'], kubeconfig));
    expect(after.cluster.find((c) => c.id === 'pod.localhost-profile-missing')?.status).to.equal('pass');
  });

  it('push --no-record syncs the nodes and records nothing in the cluster', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kube-path-one-'));
    roots.push(dir);
    await import('node:fs/promises').then((fs) => fs.writeFile(join(dir, 'trial.json'), '{"defaultAction":"SCMP_ACT_LOG"}'));
    const run = await cli(['push', join(dir, 'trial.json'), '--node', 'node-a', '--no-record', '-o', 'json'], kubeconfig);
    expect(run.code, run.stderr).to.equal(0);
    expect(json<{ recorded?: unknown }>(run).recorded).to.equal(undefined);
    const paths = api.list('v1', 'ConfigMap', NS).map((cm) => cm.metadata.annotations?.['kubectl-seccomp.io/path']);
    expect(paths).to.not.include('kubectl-seccomp/trial.json');
  });

  it('a pod whose port-forward fails is an unreachable node, named with the reason', async () => {
    api.forbid('create pods/portforward');
    try {
      const run = await cli(['doctor', '-o', 'json', '--node', 'node-a', '--timeout', '5s'], kubeconfig);
      const out = json<DoctorOutput>(run);
      expect(out.nodes[0]).to.include({ node: 'node-a', status: 'unreachable' });
      expect(run.code).to.equal(2);
    } finally {
      api.forbid('none');
    }
  });
});
