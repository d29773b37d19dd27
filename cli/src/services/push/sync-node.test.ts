import { expect } from 'chai';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalAgent, type LocalAgent } from '@kubectl-seccomp/agent';
import type { AgentApi } from '@kubectl-seccomp/proto';
import { parseProfile } from '@kubectl-seccomp/profiles';
import { copyHost, type TestHost } from '../../testing/agents.js';
import type { NodeContext } from '../fanout.js';
import type { LocalProfile } from './local-profiles.js';
import { cachedRenderer, type NodeRenderer } from './plan.js';
import { FleetMemory, syncNode, type NodeSync } from './sync-node.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/profiles/', import.meta.url));

async function local(file: string, path: string): Promise<LocalProfile> {
  const parsed = parseProfile(await readFile(join(FIXTURES, file)), file);
  if (!parsed.ok) throw new Error(`${file} does not parse`);
  return { source: file, path, profile: parsed.profile };
}

/** One node: the real agent code over a private copy of a fixture host, with its calls counted. */
interface TestNode {
  host: TestHost;
  agent: LocalAgent;
  api: AgentApi;
  /** "list", or "sync:N" with N the number of files whose bytes were sent. */
  calls: string[];
}

async function startNode(name: string, kernelRelease?: string): Promise<TestNode> {
  const host = await copyHost('healthy');
  if (kernelRelease !== undefined) await writeFile(join(host.root, 'proc/sys/kernel/osrelease'), `${kernelRelease}\n`);
  const agent = await createLocalAgent({ hostRoot: host.root, nodeName: name, sources: [] });
  const calls: string[] = [];
  const api: AgentApi = {
    doctor: (o) => agent.doctor(o),
    listProfiles: (o) => {
      calls.push('list');
      return agent.listProfiles(o);
    },
    syncProfiles: (req, o) => {
      calls.push(`sync:${req.files.length}`);
      return agent.syncProfiles(req, o);
    },
    watchViolations: (req, o) => agent.watchViolations(req, o),
    version: (o) => agent.version(o),
  };
  return { host, agent, api, calls };
}

const ctx = (node: string): NodeContext => ({ node, signal: new AbortController().signal, call: () => ({}) });
const outcomes = (s: NodeSync): Record<string, string> => Object.fromEntries(s.response.results.map((r) => [r.path, r.outcome]));
const modes = { audit: false, logDenials: false, prune: false, dryRun: false };

describe('syncing a fleet node by node', () => {
  let nodes: TestNode[] = [];
  let wanted: LocalProfile[];
  let render: NodeRenderer;

  beforeEach(async () => {
    wanted = [await local('good/web.json', 'p/web.json'), await local('docker/caps.json', 'p/caps.json')];
    render = cachedRenderer();
  });
  afterEach(async () => {
    await Promise.all(
      nodes.map(async (n) => {
        await n.agent.close();
        await n.host.remove();
      }),
    );
    nodes = [];
  });

  /** Syncs every node in turn, as a fan-out with concurrency 1 would. */
  async function pushAll(opts = modes, memory = new FleetMemory()): Promise<NodeSync[]> {
    const out: NodeSync[] = [];
    for (const [i, n] of nodes.entries()) out.push(await syncNode(n.api, ctx(`n${i}`), wanted, opts, render, memory));
    return out;
  }
  const resetCalls = (): void => nodes.forEach((n) => (n.calls.length = 0));

  it('an agent answer that leaves out a requested file reports it as an error, not in sync', async () => {
    const node = await startNode('a');
    nodes = [node];
    node.api = { ...node.api, syncProfiles: async (req, o) => ({ ...(await node.agent.syncProfiles(req, o)), results: [] }) };
    const [synced] = await pushAll();
    expect(outcomes(synced!)).to.deep.equal({ 'p/caps.json': 'error', 'p/web.json': 'error' });
    expect(synced!.response.results[0]?.error).to.equal('the agent did not report this file');
  });

  it('a first push lists and sends on every node, without a wasted guess', async () => {
    nodes = [await startNode('a'), await startNode('b'), await startNode('c')];
    const synced = await pushAll();
    expect(nodes.map((n) => n.calls)).to.deep.equal([
      ['list', 'sync:2'],
      ['list', 'sync:2'],
      ['list', 'sync:2'],
    ]);
    expect(synced.map(outcomes)).to.deep.equal(Array(3).fill({ 'p/caps.json': 'created', 'p/web.json': 'created' }));
  });

  it('a fleet already in sync: after the first node, one SyncProfiles per node and no bytes', async () => {
    nodes = [await startNode('a'), await startNode('b'), await startNode('c')];
    await pushAll();
    resetCalls();
    const synced = await pushAll();
    expect(nodes.map((n) => n.calls)).to.deep.equal([['list', 'sync:0'], ['sync:0'], ['sync:0']]);
    expect(synced.map(outcomes)).to.deep.equal(Array(3).fill({ 'p/caps.json': 'unchanged', 'p/web.json': 'unchanged' }));
    // The report still says what was flattened for the node: the guess path plans like the other.
    expect(synced[2]!.plan.files.find((f) => f.path === 'p/caps.json')?.flattened).to.equal(true);
    expect(synced[2]!.plan.request.unchanged.map((u) => u.path).sort()).to.deep.equal(['p/caps.json', 'p/web.json']);
  });

  it('a file edited on a node since the last push is found and replaced, not reported unchanged', async () => {
    nodes = [await startNode('a'), await startNode('b')];
    await pushAll();
    const edited = join(nodes[1]!.host.seccompDir, 'p/web.json');
    const pushed = await readFile(edited, 'utf8');
    await writeFile(edited, pushed.replace('"defaultAction": "SCMP_ACT_ERRNO"', '"defaultAction": "SCMP_ACT_ALLOW"'));
    resetCalls();
    const synced = await pushAll();
    expect(nodes[1]!.calls).to.deep.equal(['sync:0', 'list', 'sync:1']);
    expect(outcomes(synced[1]!)).to.deep.equal({ 'p/caps.json': 'unchanged', 'p/web.json': 'updated' });
    expect(await readFile(edited, 'utf8')).to.equal(pushed);
  });

  it('a node of another kind is planned from its own listing even when the guessed digests match', async () => {
    // caps.json has no minKernel rules here, so both kernels render the same bytes: only the kind tells.
    nodes = [await startNode('a'), await startNode('b', '5.15.0-100-generic')];
    await pushAll();
    resetCalls();
    const synced = await pushAll();
    expect(nodes[1]!.calls).to.deep.equal(['sync:0', 'list', 'sync:0']);
    expect(synced[1]!.response.node.kernelRelease).to.equal('5.15.0-100-generic');
    expect(outcomes(synced[1]!)).to.deep.equal({ 'p/caps.json': 'unchanged', 'p/web.json': 'unchanged' });
  });

  it('--prune results of the guessing request stay in the report when the node needs a second one', async () => {
    nodes = [await startNode('a'), await startNode('b')];
    const extra = await local('good/sub/worker.json', 'p/old.json');
    wanted.push(extra);
    await pushAll();
    wanted.pop();
    const edited = join(nodes[1]!.host.seccompDir, 'p/web.json');
    await writeFile(edited, `${await readFile(edited, 'utf8')}\n`);
    resetCalls();
    const synced = await pushAll({ ...modes, prune: true });
    expect(nodes.map((n) => n.calls)).to.deep.equal([
      ['list', 'sync:0'],
      ['sync:0', 'list', 'sync:1'],
    ]);
    expect(outcomes(synced[0]!)).to.deep.equal({ 'p/caps.json': 'unchanged', 'p/old.json': 'deleted', 'p/web.json': 'unchanged' });
    expect(outcomes(synced[1]!)).to.deep.equal({ 'p/caps.json': 'unchanged', 'p/old.json': 'deleted', 'p/web.json': 'updated' });
  });
});
