import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BindOutput } from '@kubectl-seccomp/cli';
import { loadCatalog, serializeProfile } from '@kubectl-seccomp/profiles';
import { deployment, node, type KubeObject } from '../harness/apiserver/index.js';
import { TestCluster } from '../harness/cluster.js';
import { agentPrerequisites, skipUnless } from './support.js';

/**
 * bind/unbind against the test API server (server-side apply with field ownership) and two real
 * agents: refused while an eligible node lacks the profile, accepted once push put it everywhere,
 * and unbind gives back the workload as it was.
 */
const PROFILE = 'kubectl-seccomp/web.json';

const webSpec = {
  securityContext: { runAsUser: 1000 },
  containers: [
    { name: 'web', image: 'busybox' },
    { name: 'side', image: 'busybox', securityContext: { readOnlyRootFilesystem: true } },
  ],
};
const webDeployment = (): KubeObject => deployment('web', 'shop', webSpec);

describe('e2e: bind and unbind a workload', function () {
  this.timeout(120_000);
  let cluster: TestCluster | undefined;
  let dir: string | undefined;

  before(async function () {
    skipUnless(this, agentPrerequisites());
    dir = await mkdtemp(join(tmpdir(), 'bind-e2e-'));
    const [entry] = await loadCatalog();
    await writeFile(join(dir, 'web.json'), serializeProfile(entry!.profile));
    cluster = await TestCluster.start({ agentNodes: ['node-a', 'node-b'], bareNodes: ['node-gpu'], namespaces: ['shop'] });
    // The node without an agent is tainted: the web pods cannot go there, so it does not count.
    cluster.apply({ ...node('node-gpu'), spec: { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] } });
    cluster.apply(webDeployment());
  });

  after(async () => {
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const c = (): TestCluster => cluster!;
  const stored = () =>
    c()
      .api.list('apps/v1', 'Deployment', 'shop')
      .find((d) => d.metadata.name === 'web')!;
  const bindJson = async (args: string[]) => {
    const r = await c().cli(['bind', 'deploy/web', PROFILE, '-n', 'shop', '-o', 'json', ...args]);
    return { ...r, json: r.code === 0 ? (JSON.parse(r.stdout) as BindOutput) : undefined };
  };

  it('is refused while an eligible node lacks the profile, naming it; the workload is untouched', async () => {
    const pushed = await c().cli(['push', '--node', 'node-a', '--no-record', join(dir!, 'web.json')]);
    expect(pushed.code, pushed.stderr).to.equal(0);
    const r = await c().cli(['bind', 'deploy/web', PROFILE, '-n', 'shop']);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain(`${PROFILE} is not in place on every node its pods can be scheduled to`);
    expect(r.stderr).to.match(/node-b: the profile is not on this node/);
    expect(r.stderr).to.not.contain('node-a:');
    expect(r.stderr, 'the tainted node is not eligible').to.not.contain('node-gpu');
    expect(stored()['spec']).to.deep.equal(webDeployment()['spec']);
  });

  it('--dry-run -o yaml shows the patch and changes nothing', async () => {
    await c().cli(['push', join(dir!, 'web.json')]);
    const r = await c().cli(['bind', 'deploy/web', PROFILE, '-n', 'shop', '--container', 'side', '--dry-run', '-o', 'yaml']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain(
      [
        '          - name: side',
        '            securityContext:',
        '              seccompProfile:',
        '                type: Localhost',
        `                localhostProfile: ${PROFILE}`,
      ].join('\n'),
    );
    expect(r.stdout).to.match(/dryRun: true\n/);
    expect(stored()['spec']).to.deep.equal(webDeployment()['spec']);
  });

  it('after push, binds the pod template (then one container), and unbind restores the original spec', async () => {
    const pod = await bindJson([]);
    expect(pod.code, pod.stderr).to.equal(0);
    expect(pod.json!.nodes.map((n) => [n.node, n.status])).to.deep.equal([
      ['node-a', 'ok'],
      ['node-b', 'ok'],
    ]);
    expect(pod.json!.excluded).to.deep.equal([{ node: 'node-gpu', reason: 'taint gpu=true:NoSchedule not tolerated' }]);
    const spec = () =>
      (stored()['spec'] as { template: { spec: { securityContext: object; containers: { name: string; securityContext?: object }[] } } }).template.spec;
    expect(spec().securityContext).to.deep.equal({ runAsUser: 1000, seccompProfile: { type: 'Localhost', localhostProfile: PROFILE } });

    const side = await bindJson(['--container', 'side']);
    expect(side.code, side.stderr).to.equal(0);
    expect(spec().securityContext, 'moving the bind removes the pod-level field').to.deep.equal({ runAsUser: 1000 });
    expect(spec().containers[1]!.securityContext).to.deep.equal({
      readOnlyRootFilesystem: true,
      seccompProfile: { type: 'Localhost', localhostProfile: PROFILE },
    });

    const un = await c().cli(['unbind', 'deploy/web', '-n', 'shop']);
    expect(un.code, un.stderr).to.equal(0);
    expect(stored()['spec']).to.deep.equal(webDeployment()['spec']);
  });

  it('--force binds a profile an eligible node lacks, and says so', async () => {
    // Not recorded, so no agent's reconciler brings it to node-b.
    await writeFile(join(dir!, 'only-a.json'), serializeProfile((await loadCatalog())[0]!.profile));
    await c().cli(['push', '--node', 'node-a', '--no-record', join(dir!, 'only-a.json')]);
    const refused = await c().cli(['bind', 'deploy/web', 'kubectl-seccomp/only-a.json', '-n', 'shop']);
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.match(/node-b: the profile is not on this node/);
    const forced = await c().cli(['bind', 'deploy/web', 'kubectl-seccomp/only-a.json', '-n', 'shop', '--force', '-o', 'json']);
    expect(forced.code, forced.stderr).to.equal(0);
    expect(JSON.parse(forced.stdout) as BindOutput).to.deep.include({ forced: true, applied: true });
    expect((await c().cli(['unbind', 'deploy/web', '-n', 'shop'])).code).to.equal(0);
    expect(stored()['spec']).to.deep.equal(webDeployment()['spec']);
  });
});
