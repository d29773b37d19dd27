import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterCheck, DoctorOutput } from '@kubectl-seccomp/cli';
import { flatten, flattenTargetFor, parseProfile, serializeProfile } from '@kubectl-seccomp/profiles';
import { ANNOTATION_PATH, DATA_KEY, LABEL_MANAGED_BY, LABEL_PROFILE, MANAGED_BY, READINESS_TAINT_KEY } from '@kubectl-seccomp/proto';
import { node, type KubeObject, type TestApiServer } from '../harness/apiserver/index.js';
import { AGENT_NAMESPACE, TestCluster } from '../harness/cluster.js';
import { agentPrerequisites, skipUnless, waitFor } from './support.js';

/**
 * The node readiness gate end to end: nodes registered with the readiness taint, profile ConfigMaps
 * recorded, then real agents started. The taint must go only once the recorded files are on disk:
 * a subscriber on the API server's store reads the profile dir synchronously in the very event that
 * removes the taint, so nothing the agent does afterwards can make the check pass.
 */

interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

const OURS: Taint = { key: READINESS_TAINT_KEY, effect: 'NoSchedule' };
const OTHERS: Taint[] = [
  { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' },
  { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
];
const PROFILE = JSON.stringify({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['read', 'write', 'exit_group'], action: 'SCMP_ACT_ALLOW' }] });
/** Two recorded profiles; node-b cannot write the first while a plain file holds its dir's name. */
const FILES = ['kubectl-seccomp/team/web.json', 'kubectl-seccomp/db.json'];
const BLOCKER = 'kubectl-seccomp/team';

function profileConfigMap(name: string, path: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: AGENT_NAMESPACE,
      labels: { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_PROFILE]: 'true' },
      annotations: { [ANNOTATION_PATH]: path },
    },
    data: { [DATA_KEY]: PROFILE },
  };
}

const tainted = (name: string, taints: Taint[]): KubeObject => ({ ...node(name), spec: { taints } });
const taintsOf = (o: KubeObject | undefined): Taint[] => ((o?.['spec'] as { taints?: Taint[] } | undefined)?.taints ?? []).map((t) => ({ ...t }));
const hasOurs = (o: KubeObject | undefined): boolean => taintsOf(o).some((t) => t.key === READINESS_TAINT_KEY);

/** What the profile dir held at the moment the API server stored the node without the taint. */
interface Removal {
  taints: Taint[];
  files: Map<string, string | undefined>;
}

/** Watches the store: the first node change without the taint, per node, with the files seen then. */
function watchRemovals(api: TestApiServer, profileDir: (node: string) => string | undefined): { removals: Map<string, Removal>; stop: () => void } {
  const removals = new Map<string, Removal>();
  const stop = api.store.subscribe((e) => {
    if (e.resource.plural !== 'nodes' || e.type !== 'MODIFIED' || hasOurs(e.object) || removals.has(e.object.metadata.name)) return;
    const dir = profileDir(e.object.metadata.name);
    const files = new Map(FILES.map((f) => [f, dir && existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : undefined]));
    removals.set(e.object.metadata.name, { taints: taintsOf(e.object), files });
  });
  return { removals, stop };
}

const nodeObject = (api: TestApiServer, name: string): KubeObject | undefined => api.list('v1', 'Node').find((n) => n.metadata.name === name);

describe('e2e: the node readiness gate', function () {
  this.timeout(180_000);

  describe('taint removed only after the recorded files are on disk', function () {
    let cluster: TestCluster | undefined;
    let watcher: ReturnType<typeof watchRemovals> | undefined;
    const c = (): TestCluster => cluster!;

    before(async function () {
      skipUnless(this, agentPrerequisites());
      const dirs = new Map<string, string>();
      cluster = await TestCluster.start({
        agentNodes: ['node-a', 'node-b'],
        bareNodes: ['node-c'],
        prepare: (api) => {
          api.apply(tainted('node-a', [OTHERS[0]!, OURS, OTHERS[1]!]));
          api.apply(tainted('node-b', [OURS]));
          api.apply(tainted('node-c', [OURS]));
          api.apply(profileConfigMap('web', FILES[0]!));
          api.apply(profileConfigMap('db', FILES[1]!));
          watcher = watchRemovals(api, (n) => dirs.get(n));
        },
        prepareNode: async (name, dir) => {
          dirs.set(name, dir);
          if (name !== 'node-b') return;
          await mkdir(join(dir, 'kubectl-seccomp'), { recursive: true });
          await writeFile(join(dir, BLOCKER), 'not a directory\n');
        },
      });
    });

    after(async () => {
      watcher?.stop();
      await cluster?.stop();
    });

    async function expected(nodeName: string): Promise<string> {
      const out = await doctor();
      const info = out.nodes.find((n) => n.node === nodeName)?.info;
      if (!info) throw new Error(`doctor reported no node info for ${nodeName}: ${JSON.stringify(out.nodes)}`);
      const parsed = parseProfile(PROFILE, 'expected');
      if (!parsed.ok) throw new Error('the test profile does not parse');
      return serializeProfile(flatten(parsed.profile, flattenTargetFor(info)));
    }

    async function doctor(): Promise<DoctorOutput> {
      const r = await c().cli(['doctor', '-o', 'json']);
      try {
        return JSON.parse(r.stdout) as DoctorOutput;
      } catch {
        throw new Error(`doctor printed no JSON (exit ${r.code}): ${r.stdout} ${r.stderr}`);
      }
    }

    const notReady = (out: DoctorOutput, nodeName: string): ClusterCheck | undefined =>
      out.cluster.find((f) => f.id === 'node.profiles-not-ready' && f.object === `node/${nodeName}`);

    it('removes the taint from node-a with both files on disk at that moment, and keeps its other taints', async function () {
      const removal = await waitFor('node-a without the readiness taint', () => watcher!.removals.get('node-a'), {
        attempts: 600,
        state: () => taintsOf(nodeObject(c().api, 'node-a')),
      });
      const want = await expected('node-a');
      for (const f of FILES) expect(removal.files.get(f), `${f} when the taint went`).to.equal(want);
      expect(removal.taints).to.deep.equal(OTHERS);
      expect(taintsOf(nodeObject(c().api, 'node-a'))).to.deep.equal(OTHERS);
      const line = c()
        .agent('node-a')
        .process.logs.find((l) => l.msg === 'readiness taint removed: every recorded profile is on disk');
      expect(line).to.include({ level: 'info', node: 'node-a', taint: READINESS_TAINT_KEY });
    });

    it('keeps the taint on a node whose reconcile cannot complete, and doctor names the node and why', async function () {
      // Once node-b's agent reports its reconcile as failed, it has had its chance to open the gate.
      const out = await waitFor(
        'doctor naming node-b as not ready with the blocked file',
        async () => {
          const d = await doctor();
          return /kubectl-seccomp\/team\/web\.json/.test(notReady(d, 'node-b')?.detail ?? '') && d;
        },
        { attempts: 60, everyMs: 500 },
      );
      expect(hasOurs(nodeObject(c().api, 'node-b'))).to.equal(true);
      expect(
        c()
          .api.list('v1', 'Node')
          .filter(hasOurs)
          .map((n) => n.metadata.name),
      ).to.deep.equal(['node-b', 'node-c']);
      expect(watcher!.removals.has('node-b')).to.equal(false);
      expect(notReady(out, 'node-b')).to.include({ status: 'fail' });
      expect(notReady(out, 'node-b')?.summary).to.match(/node-b/);
      const nodeC = notReady(out, 'node-c');
      expect(nodeC?.summary).to.match(/no agent/);
      expect(nodeC?.remedy).to.not.equal('');
      expect(notReady(out, 'node-a')).to.equal(undefined);
      const check = out.nodes.find((n) => n.node === 'node-b')?.checks.find((k) => k.id === 'profiles.reconcile');
      expect(check).to.include({ status: 'fail' });
      expect(check?.detail).to.match(/^kubectl-seccomp\/team\/web\.json: /);
    });

    it('removes it once the node can take the files, and only then', async function () {
      const dir = c().agent('node-b').profileDir;
      await rm(join(dir, BLOCKER));
      const removal = await waitFor('node-b without the readiness taint', () => watcher!.removals.get('node-b'), { attempts: 600 });
      const want = await expected('node-b');
      for (const f of FILES) expect(removal.files.get(f), `${f} when the taint went`).to.equal(want);
      expect(removal.taints).to.deep.equal([]);
      expect(await readFile(join(dir, FILES[0]!), 'utf8')).to.equal(want);
    });
  });

  describe('without the grant to patch nodes', function () {
    let cluster: TestCluster | undefined;
    const c = (): TestCluster => cluster!;

    before(async function () {
      skipUnless(this, agentPrerequisites());
      cluster = await TestCluster.start({
        agentNodes: ['node-a'],
        prepare: (api) => {
          api.forbid('patch nodes');
          api.apply(tainted('node-a', [OURS]));
          api.apply(profileConfigMap('db', FILES[1]!));
        },
      });
    });

    after(async () => {
      await cluster?.stop();
    });

    const forbidden = (): Record<string, unknown>[] =>
      c()
        .agent('node-a')
        .process.logs.filter((l) => l.level === 'warn' && String(l.msg).startsWith('may not remove the readiness taint'));

    it('warns once, keeps serving, and removes the taint once the grant arrives', async function () {
      await waitFor('the agent warning that it may not remove the taint', () => forbidden().length > 0, { attempts: 600 });
      const r = await c().cli(['doctor', '-o', 'json']);
      const out = JSON.parse(r.stdout) as DoctorOutput;
      const check = out.nodes.find((n) => n.node === 'node-a')?.checks.find((k) => k.id === 'profiles.reconcile');
      expect(check).to.include({ status: 'warn' });
      expect(check?.detail).to.match(/^forbidden: /);
      const finding = out.cluster.find((f) => f.id === 'node.profiles-not-ready' && f.object === 'node/node-a');
      expect(finding?.detail).to.match(/forbidden/);
      expect(c().agent('node-a').process.child.exitCode).to.equal(null);
      expect(hasOurs(nodeObject(c().api, 'node-a'))).to.equal(true);

      c().api.allow('patch nodes');
      await waitFor('node-a without the readiness taint', () => !hasOurs(nodeObject(c().api, 'node-a')), { attempts: 600 });
      expect(forbidden()).to.have.length(1);
    });
  });
});
