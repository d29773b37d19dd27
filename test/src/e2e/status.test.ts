import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StatusOutput } from '@kubectl-seccomp/cli';
import { loadCatalog, serializeProfile, type SeccompProfile } from '@kubectl-seccomp/profiles';
import { pod } from '../harness/apiserver/index.js';
import { TestCluster } from '../harness/cluster.js';
import { startContainer, type RunningContainer } from '../harness/runc.js';
import { agentPrerequisites, containerPrerequisites, skipUnless } from './support.js';

/**
 * A second version of a profile that every node's runtime sees (flatten drops flags runc 1.1 refuses,
 * so the log flag would not do): kexec_load kills, a call no catalog profile names.
 */
const withKexecKilled = (p: SeccompProfile): SeccompProfile => ({
  ...p,
  syscalls: [...(p.syscalls ?? []), { names: ['kexec_load'], action: 'SCMP_ACT_KILL_PROCESS' }],
});

/**
 * status against two real agents: the nodes holding a profile, the pods referencing it, and a
 * container flagged stale once push rewrote the profile after the container started.
 */
const PROFILE = 'kubectl-seccomp/web.json';

describe('e2e: status of profiles, nodes and the containers using them', function () {
  this.timeout(120_000);
  let cluster: TestCluster | undefined;
  let dir: string | undefined;

  before(async function () {
    skipUnless(this, agentPrerequisites());
    dir = await mkdtemp(join(tmpdir(), 'status-e2e-'));
    cluster = await TestCluster.start({ agentNodes: ['node-a', 'node-b'], namespaces: ['shop'] });
  });

  after(async () => {
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const c = (): TestCluster => cluster!;
  const status = async (): Promise<{ code: number | null; out: StatusOutput }> => {
    const r = await c().cli(['status', PROFILE, '-o', 'json']);
    try {
      return { code: r.code, out: JSON.parse(r.stdout) as StatusOutput };
    } catch {
      throw new Error(`status printed no JSON (exit ${r.code}): ${r.stdout} ${r.stderr}`);
    }
  };

  it('lists the nodes and the bound pod; the container is stale once the profile is rewritten after it started', async () => {
    const [entry] = await loadCatalog();
    const file = join(dir!, 'web.json');
    await writeFile(file, serializeProfile(entry!.profile));
    const first = await c().cli(['push', file]);
    expect(first.code, first.stderr).to.equal(0);
    c().apply(
      pod('web-1', {
        namespace: 'shop',
        node: 'node-a',
        containers: { web: '' },
        podSecurityContext: { seccompProfile: { type: 'Localhost', localhostProfile: PROFILE } },
      }),
    );

    const before = await status();
    expect(before.code, JSON.stringify(before.out)).to.equal(0);
    const [p] = before.out.profiles;
    expect(p!.recorded).to.equal(true);
    expect(p!.nodes.map((n) => [n.node, n.status])).to.deep.equal([
      ['node-a', 'ok'],
      ['node-b', 'ok'],
    ]);
    expect(p!.containers.map((x) => [`${x.namespace}/${x.pod}`, x.container, x.node, x.stale])).to.deep.equal([['shop/web-1', 'web', 'node-a', false]]);

    await writeFile(file, serializeProfile(withKexecKilled(entry!.profile)));
    const second = await c().cli(['push', file]);
    expect(second.code, second.stderr).to.equal(0);
    const after = await status();
    expect(after.code).to.equal(1);
    expect(after.out.profiles[0]!.containers[0]).to.include({ pod: 'web-1', stale: true });
    expect(after.out.summary).to.include({ stale: 1, outOfSync: 0 });
    const table = await c().cli(['status', PROFILE]);
    expect(table.stdout).to.match(/shop\/web-1 +web +node-a +\w+ +STALE: started before the profile was updated/);
  });

  it('says which running containers are filtered and which are not, from their processes on the node', async function () {
    skipUnless(this, await containerPrerequisites());
    const [entry] = await loadCatalog();
    const started: RunningContainer[] = [];
    const pods: string[] = [];
    try {
      // Both wait on stdin: a workload that keeps running, under a profile and without one.
      const filtered = await startContainer({ profile: entry!.profile, args: ['/bin/sh', '-c', 'read x'] });
      started.push(filtered);
      const unfiltered = await startContainer({ profile: null, args: ['/bin/sh', '-c', 'read x'] });
      started.push(unfiltered);
      const seccomp = { seccompProfile: { type: 'Localhost', localhostProfile: PROFILE } };
      c().apply(pod('api-1', { namespace: 'shop', node: 'node-a', uid: filtered.podUid, containers: { api: filtered.id }, podSecurityContext: seccomp }));
      pods.push('api-1');
      c().apply(pod('priv-1', { namespace: 'shop', node: 'node-a', uid: unfiltered.podUid, containers: { priv: unfiltered.id }, podSecurityContext: seccomp }));
      pods.push('priv-1');
      const { code, out } = await status();
      expect(code).to.equal(1);
      const byPod = new Map(out.profiles[0]!.containers.map((x) => [x.pod, x]));
      expect(byPod.get('api-1')).to.include({ containerId: filtered.id, mode: 'filter', notFiltered: false });
      expect(byPod.get('priv-1')).to.include({ containerId: unfiltered.id, mode: 'disabled', notFiltered: true });
    } finally {
      await Promise.all(started.map((x) => x.stop()));
      for (const name of pods) c().api.remove('v1', 'Pod', 'shop', name);
    }
  });

  it("diff reads a node's copy (node/NAME:PATH) when it is the recorded version", async () => {
    const [entry] = await loadCatalog();
    const original = join(dir!, 'original.json');
    await writeFile(original, serializeProfile(entry!.profile));
    const nodes = await c().cli(['diff', `node/node-a:${PROFILE}`, `node/node-b:${PROFILE}`, '--any-change']);
    expect(nodes.code, nodes.stderr).to.equal(0);
    // The nodes hold the second push's version: kexec_load now kills, nothing newly allowed.
    const r = await c().cli(['diff', original, `node/node-b:${PROFILE}`, '-o', 'json']);
    expect(r.code, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout) as { b: string; widens: boolean; targets: { syscalls: { name: string; changes: string[]; widens: boolean }[] }[] };
    expect(out).to.deep.include({ b: `node/node-b:${PROFILE}`, widens: false });
    const kexec = out.targets[0]!.syscalls.find((x) => x.name === 'kexec_load');
    expect(kexec?.widens).to.equal(false);
    expect(kexec?.changes.length).to.be.greaterThan(0);
    await writeFile(join(c().agent('node-b').profileDir, 'kubectl-seccomp', 'hand.json'), serializeProfile(entry!.profile));
    const unrecorded = await c().cli(['diff', original, 'node/node-b:kubectl-seccomp/hand.json']);
    expect(unrecorded.code).to.equal(2);
    expect(unrecorded.stderr).to.contain('is not the recorded version, and the agent cannot send');
  });
});
