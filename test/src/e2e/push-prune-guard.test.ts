import { expect } from 'chai';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PushOutput } from '@kubectl-seccomp/cli';
import { loadCatalog, serializeProfile } from '@kubectl-seccomp/profiles';
import { pod } from '../harness/apiserver/index.js';
import { TestCluster } from '../harness/cluster.js';
import { agentPrerequisites, skipUnless } from './support.js';

/**
 * push --prune against two real agents and the test API server: a profile a pod still references
 * is not deleted (nor any other: the push is refused whole) unless --force.
 */
const PREFIX = 'kubectl-seccomp';

describe('e2e: push --prune refuses to delete profiles pods reference', function () {
  this.timeout(120_000);
  let cluster: TestCluster | undefined;
  let dir: string | undefined;

  before(async function () {
    skipUnless(this, agentPrerequisites());
    dir = await mkdtemp(join(tmpdir(), 'prune-guard-'));
    const [entry] = await loadCatalog();
    for (const name of ['web', 'worker', 'old']) await writeFile(join(dir, `${name}.json`), serializeProfile(entry!.profile));
    cluster = await TestCluster.start({ agentNodes: ['node-a', 'node-b'], namespaces: ['shop'] });
  });

  after(async () => {
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const c = (): TestCluster => cluster!;
  const onDisk = (node: string, file: string) =>
    access(join(c().agent(node).profileDir, PREFIX, file)).then(
      () => true,
      () => false,
    );

  it('names the pods and changes nothing; prunes once no live pod references the file; --force prunes anyway', async () => {
    const all = await c().cli(['push', '-o', 'json', join(dir!, 'web.json'), join(dir!, 'worker.json'), join(dir!, 'old.json')]);
    expect(all.code, all.stderr).to.equal(0);
    c().apply(
      pod('web-1', {
        namespace: 'shop',
        node: 'node-a',
        containers: { web: '' },
        containerSecurityContext: { web: { seccompProfile: { type: 'Localhost', localhostProfile: `${PREFIX}/worker.json` } } },
      }),
    );
    c().apply(
      pod('batch-1', {
        namespace: 'shop',
        node: 'node-b',
        phase: 'Succeeded',
        podSecurityContext: { seccompProfile: { type: 'Localhost', localhostProfile: `${PREFIX}/old.json` } },
      }),
    );

    const refused = await c().cli(['push', '--prune', join(dir!, 'web.json')]);
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.contain('--prune would delete profiles that pods still reference');
    expect(refused.stderr).to.match(/kubectl-seccomp\/worker\.json on node-a: shop\/web-1 \(container web on node-a\)/);
    expect(refused.stderr).to.match(/kubectl-seccomp\/worker\.json \(recorded ConfigMap\): shop\/web-1/);
    expect(refused.stderr, 'a finished pod is no reference').to.not.contain('batch-1');
    for (const node of ['node-a', 'node-b']) {
      for (const f of ['worker.json', 'old.json']) expect(await onDisk(node, f), `${node} ${f} kept`).to.equal(true);
    }

    // Keeping the referenced file, the rest is pruned.
    const kept = await c().cli(['push', '--prune', '-o', 'json', join(dir!, 'web.json'), join(dir!, 'worker.json')]);
    expect(kept.code, kept.stderr).to.equal(0);
    expect((JSON.parse(kept.stdout) as PushOutput).recorded?.deleted).to.deep.equal([`${PREFIX}/old.json`]);
    expect(await onDisk('node-b', 'old.json')).to.equal(false);

    const forced = await c().cli(['push', '--prune', '--force', join(dir!, 'web.json')]);
    expect(forced.code, forced.stderr).to.equal(0);
    for (const node of ['node-a', 'node-b']) expect(await onDisk(node, 'worker.json'), node).to.equal(false);
  });
});
