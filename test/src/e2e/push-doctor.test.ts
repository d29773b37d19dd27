import { expect } from 'chai';
import { cp, mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { DoctorOutput, PushOutput } from '@kubectl-seccomp/cli';
import {
  catalogDir,
  flatten,
  flattenTargetFor,
  loadCatalog,
  parseProfile,
  serializeProfile,
  sha256Hex,
  type CatalogEntry,
  type SeccompProfile,
} from '@kubectl-seccomp/profiles';
import { pod } from '../harness/apiserver/index.js';
import { typeByKind } from '../harness/apiserver/resources.js';
import { AGENT_NAMESPACE, TestCluster } from '../harness/cluster.js';
import { agentPrerequisites, skipUnless, waitFor } from './support.js';

/**
 * push and doctor the way a cluster runs them: the CLI finds the agent pods through the API server
 * and reaches each agent through a port-forward; two real agents (node-a, node-b) write real files;
 * node-c has no agent.
 */

/** The parts of `push -o json` (cli/src/output/types.ts) this test reads. */
const AGENT_NODES = ['node-a', 'node-b'];
const PREFIX = 'kubectl-seccomp';

describe('e2e: push and doctor through the API server and port-forward', function () {
  this.timeout(120_000);
  let cluster: TestCluster | undefined;
  let catalog: CatalogEntry[];
  let edited: string | undefined;

  before(async function () {
    skipUnless(this, agentPrerequisites());
    catalog = await loadCatalog();
    cluster = await TestCluster.start({ agentNodes: AGENT_NODES, bareNodes: ['node-c'], namespaces: ['shop'] });
  });

  after(async () => {
    await cluster?.stop();
    if (edited) await rm(edited, { recursive: true, force: true });
  });

  const c = (): TestCluster => cluster!;
  const onDisk = (node: string, file: string): string => join(c().agent(node).profileDir, PREFIX, file);

  async function push(args: string[]): Promise<{ code: number | null; out: PushOutput }> {
    const r = await c().cli(['push', '-o', 'json', ...args]);
    try {
      return { code: r.code, out: JSON.parse(r.stdout) as PushOutput };
    } catch {
      throw new Error(`push ${args.join(' ')} printed no JSON (exit ${r.code}): ${r.stdout} ${r.stderr}`);
    }
  }

  /** Every pushed file is on the node, byte for byte what flatten + serialize give for that node. */
  async function expectOnDisk(out: PushOutput, profiles: { file: string; profile: SeccompProfile }[]): Promise<void> {
    for (const node of AGENT_NODES) {
      const report = out.nodes.find((n) => n.node === node);
      expect(report?.status, `${node}: ${JSON.stringify(report?.error)}`).to.equal('ok');
      const target = flattenTargetFor(report!.info!);
      for (const { file, profile } of profiles) {
        const bytes = await readFile(onDisk(node, file), 'utf8');
        expect(bytes, `${node} ${file}`).to.equal(serializeProfile(flatten(profile, target)));
        const result = report!.results.find((r) => r.path === `${PREFIX}/${file}`);
        expect(result?.sha256, `${node} ${file} sha256 in the report`).to.equal(sha256Hex(bytes));
      }
    }
  }

  async function mtimes(): Promise<Map<string, number>> {
    const times = new Map<string, number>();
    for (const node of AGENT_NODES) {
      for (const entry of catalog) times.set(`${node}/${basename(entry.file)}`, (await stat(onDisk(node, basename(entry.file)))).mtimeMs);
    }
    return times;
  }

  const catalogFiles = (): { file: string; profile: SeccompProfile }[] => catalog.map((e) => ({ file: basename(e.file), profile: e.profile }));

  it('the first push puts the catalog on both agent nodes and names the node without an agent (exit 2)', async () => {
    const { code, out } = await push([]);
    expect(code).to.equal(2);
    const bare = out.nodes.find((n) => n.node === 'node-c');
    expect(bare).to.deep.include({ status: 'no-agent' });
    expect(bare?.error?.kind).to.equal('no-agent');
    expect(out.summary.unreachable).to.equal(1);
    expect(out.summary.error).to.equal(0);
    // The agents' ConfigMap reconcilers may have written a file before the CLI's own sync got there
    // (push records the ConfigMaps first): either way the node reports it, as created or unchanged.
    for (const node of AGENT_NODES) {
      const outcomes = out.nodes.find((n) => n.node === node)!.results.map((r) => r.outcome);
      expect(outcomes, node).to.have.length(catalog.length);
      for (const o of outcomes) expect(o, node).to.be.oneOf(['created', 'unchanged']);
    }
    await expectOnDisk(out, catalogFiles());
  });

  it('records one ConfigMap per profile in the agent namespace', () => {
    const configMaps = c().api.store.list(typeByKind('v1', 'ConfigMap')!, AGENT_NAMESPACE);
    const byPath = new Map(configMaps.map((cm) => [cm.metadata.annotations?.['kubectl-seccomp.io/path'], cm]));
    for (const entry of catalog) {
      const cm = byPath.get(`${PREFIX}/${basename(entry.file)}`);
      expect(cm, `ConfigMap for ${entry.file}`).to.not.equal(undefined);
      expect(cm!.metadata.labels).to.include({ 'app.kubernetes.io/managed-by': 'kubectl-seccomp', 'kubectl-seccomp.io/profile': 'true' });
      expect((cm as { data?: Record<string, string> }).data?.['profile.json']).to.equal(serializeProfile(entry.profile));
    }
  });

  it('a second push to the agent nodes changes nothing and sends no profile bytes (exit 0)', async () => {
    const before = await mtimes();
    const { code, out } = await push(['--node', 'node-a', '--node', 'node-b']);
    expect(code).to.equal(0);
    expect(out.summary).to.include({ created: 0, updated: 0, deleted: 0, error: 0, unchanged: catalog.length * AGENT_NODES.length });
    expect(await mtimes()).to.deep.equal(before);
  });

  it('an edited profile is updated on every node; the others stay untouched', async () => {
    edited = await mkdtemp(join(tmpdir(), 'kseccomp-e2e-edited-'));
    await cp(catalogDir(), edited, { recursive: true });
    const changed = 'deny-mkdir.json';
    const profile = JSON.parse(await readFile(join(edited, changed), 'utf8')) as { syscalls: { names: string[]; action: string }[] };
    profile.syscalls.push({ names: ['rmdir'], action: 'SCMP_ACT_ERRNO' });
    await writeFile(join(edited, changed), JSON.stringify(profile, null, 2));

    const before = await mtimes();
    const { code, out } = await push([edited, '--node', 'node-a', '--node', 'node-b']);
    expect(code).to.equal(0);
    const parsed = parseProfile(await readFile(join(edited, changed)), changed);
    if (!parsed.ok) throw new Error(`edited profile does not parse: ${JSON.stringify(parsed.errors)}`);
    await expectOnDisk(out, [{ file: changed, profile: parsed.profile }]);
    const after = await mtimes();
    for (const node of AGENT_NODES) {
      const results = out.nodes.find((n) => n.node === node)!.results;
      for (const r of results) {
        if (r.path === `${PREFIX}/${changed}`) {
          // The reconciler may have converged on the new ConfigMap first (see the first push).
          expect(r.outcome, node).to.be.oneOf(['updated', 'unchanged']);
          expect(after.get(`${node}/${changed}`), `${node} ${changed} rewritten`).to.not.equal(before.get(`${node}/${changed}`));
        } else {
          expect(r.outcome, `${node} ${r.path}`).to.equal('unchanged');
          expect(after.get(`${node}/${basename(r.path)}`), `${node} ${r.path} untouched`).to.equal(before.get(`${node}/${basename(r.path)}`));
        }
      }
    }
  });

  it('a profile deleted by hand on one node comes back from the ConfigMaps, without a push', async () => {
    const file = onDisk('node-b', 'runtime-default.json');
    const expected = await readFile(file, 'utf8');
    await unlink(file);
    const back = await waitFor(`${file} to come back`, () => readFile(file, 'utf8').catch(() => undefined));
    expect(back).to.equal(expected);
  });

  it('doctor names the node without an agent and the pod whose profile is missing on its node, and passes the rest', async () => {
    c().apply(
      pod('cart', {
        namespace: 'shop',
        node: 'node-b',
        podSecurityContext: { seccompProfile: { type: 'Localhost', localhostProfile: `${PREFIX}/not-pushed.json` } },
      }),
    );
    c().apply(
      pod('web', {
        namespace: 'shop',
        node: 'node-a',
        podSecurityContext: { seccompProfile: { type: 'Localhost', localhostProfile: `${PREFIX}/runtime-default.json` } },
      }),
    );
    const r = await c().cli(['doctor', '-o', 'json']);
    const out = JSON.parse(r.stdout) as DoctorOutput;
    expect(r.code, r.stderr).to.equal(2);
    expect(out.nodes.find((n) => n.node === 'node-c')?.status).to.equal('no-agent');
    for (const node of AGENT_NODES) {
      const report = out.nodes.find((n) => n.node === node);
      expect(report?.status, node).to.equal('ok');
      expect(report!.checks.length, `${node} checks`).to.be.greaterThan(0);
      expect(report!.checks.find((ch) => ch.id === 'kernel.seccomp')?.status, `${node} kernel.seccomp`).to.equal('pass');
    }
    const missing = out.cluster.filter((f) => f.id === 'pod.localhost-profile-missing' && f.status === 'fail');
    expect(missing.map((f) => f.object)).to.deep.equal(['pod/shop/cart']);
    expect(missing[0]!.summary).to.contain(`${PREFIX}/not-pushed.json`).and.to.contain('node-b');
    expect(out.cluster.filter((f) => f.object === 'pod/shop/web' && f.status === 'fail')).to.deep.equal([]);
  });
});
