import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalAgent, type LocalAgent } from '@kubectl-seccomp/agent';
import { serveAgent, type AgentApi } from '@kubectl-seccomp/proto';
import { runCli, type Finished } from './cli-process.js';
import { figure, fmt, fmtMs, type BenchResult, type Figure } from './result.js';
import { median } from './stats.js';

const HEALTHY_HOST = fileURLToPath(new URL('../../../agent/fixtures/hosts/healthy', import.meta.url));
const SIZES = [1, 10, 100, 500] as const;
const NOOP_TARGET_MS = 5000;
const START_REPEATS = 5;

interface FleetAgent {
  node: string;
  address: string;
  /** Profile bytes received in SyncProfiles requests so far. */
  bytes: number;
}

interface Fleet {
  agents: FleetAgent[];
  close(): Promise<void>;
}

/**
 * Many agents in this one process: each the agent's own code (createLocalAgent: store, checks) over
 * its own profile dir, behind its own gRPC server on loopback. The host root is shared and only read.
 */
export async function startFleet(count: number, dir: string): Promise<Fleet> {
  const hostRoot = join(dir, 'host');
  await cp(HEALTHY_HOST, hostRoot, { recursive: true, verbatimSymlinks: true });
  const running: { agent: LocalAgent; stop: () => Promise<void> }[] = [];
  const agents: FleetAgent[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(
      running.map(async (r) => {
        await r.stop();
        await r.agent.close();
      }),
    );
  };
  try {
    for (let i = 0; i < count; i++) {
      const node = `node-${String(i).padStart(3, '0')}`;
      const profileDir = join(dir, 'profiles', node);
      await mkdir(profileDir, { recursive: true });
      const agent = await createLocalAgent({ hostRoot, profileDir, nodeName: node, sources: [] });
      const entry: FleetAgent = { node, address: '', bytes: 0 };
      const counted: AgentApi = {
        doctor: (o) => agent.doctor(o),
        listProfiles: (o) => agent.listProfiles(o),
        syncProfiles: (req, o) => {
          entry.bytes += req.files.reduce((n, f) => n + f.content.length, 0);
          return agent.syncProfiles(req, o);
        },
        watchViolations: (req, o) => agent.watchViolations(req, o),
        version: (o) => agent.version(o),
      };
      const server = await serveAgent(counted, '127.0.0.1:0');
      running.push({ agent, stop: () => server.stop(0) });
      entry.address = `127.0.0.1:${server.port}`;
      agents.push(entry);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { agents, close };
}

/** The real CLI, given the agents as a fleet's inventory would: a file of NODE=HOST:PORT lines. */
async function push(agents: FleetAgent[], dir: string, extra: string[] = []): Promise<Finished> {
  const list = join(dir, `agents-${agents.length}.txt`);
  await writeFile(list, agents.map((a) => `${a.node}=${a.address}\n`).join(''));
  const run = await runCli(['push', '-o', 'json', '--agents-file', list, ...extra], 300_000);
  if (run.code !== 0) throw new Error(`push to ${agents.length} agents exited ${run.code}: ${run.stderr.slice(0, 2000)}`);
  return run;
}

const bytesOf = (agents: FleetAgent[]): number => agents.reduce((n, a) => n + a.bytes, 0);

export async function pushBench(): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-push-'));
  const figures: Figure[] = [];
  const notes: string[] = [];
  try {
    const total = SIZES.reduce((n, s) => n + s, 0);
    const fleet = await startFleet(total, dir);
    try {
      const starts: number[] = [];
      for (let i = 0; i < START_REPEATS; i++) starts.push((await runCli(['push', '--help'])).ms);
      const cliStart = median(starts);
      figures.push(figure('CLI start (`push --help`), in every figure below', fmtMs(cliStart)));
      let offset = 0;
      let oneFirst = NaN;
      let oneNoop = NaN;
      for (const size of SIZES) {
        const agents = fleet.agents.slice(offset, offset + size);
        offset += size;
        const first = await push(agents, dir);
        const firstBytes = bytesOf(agents);
        const noop = await push(agents, dir);
        const noopBytes = bytesOf(agents) - firstBytes;
        if (firstBytes === 0 || agents.some((a) => a.bytes === 0)) throw new Error(`first push to ${size} agents sent no profile to some`);
        if (size === 1) {
          oneFirst = first.ms;
          oneNoop = noop.ms;
        }
        figures.push(
          figure(
            `${size} node${size > 1 ? 's' : ''}: first push`,
            `${fmtMs(first.ms)} (${fmt(first.ms / oneFirst, 1)}x 1 node; ${fmt(firstBytes / size)} profile bytes/node)`,
          ),
          figure(
            `${size} node${size > 1 ? 's' : ''}: no-op push`,
            `${fmtMs(noop.ms)} (${fmt(noop.ms / oneNoop, 1)}x 1 node; ${fmt(noopBytes)} profile bytes sent)`,
            size === 500 ? { text: `< ${fmtMs(NOOP_TARGET_MS)}, 0 bytes`, met: noop.ms < NOOP_TARGET_MS && noopBytes === 0 } : undefined,
          ),
        );
        if (size === 500) {
          const fleetCpu = process.cpuUsage();
          const again = await push(agents, dir);
          const used = process.cpuUsage(fleetCpu);
          const fleetMs = (used.user + used.system) / 1000;
          figures.push(
            figure(
              '500 nodes: no-op push, CPU of the CLI / of the 500 agents',
              `${fmtMs(again.cpuMs)} / ${fmtMs(fleetMs)} in ${fmtMs(again.ms)} wall (${fmtMs(again.cpuMs / size)} / ${fmtMs(fleetMs / size)} per node)`,
            ),
          );
          for (const concurrency of ['16', '64']) {
            const other = await push(agents, dir, ['--concurrency', concurrency]);
            figures.push(figure(`500 nodes: no-op push, --concurrency ${concurrency}`, `${fmtMs(other.ms)}`));
          }
          const perNode = (noop.ms - cliStart) / size;
          notes.push(
            `Growth: past the CLI start, a no-op push took about ${fmtMs(perNode)} per node at the default --concurrency 32 here, where the CLI and all the agents share the same CPUs (see the CPU line).`,
          );
        }
      }
    } finally {
      await fleet.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  notes.unshift(
    `How: ${fmt(SIZES.reduce((n, s) => n + s, 0))} agents in ONE process (500 agent processes do not fit on 2 cores): each is the agent's own code (\`createLocalAgent\`: profile store, node checks over a copy of agent/fixtures/hosts/healthy) behind its own \`serveAgent\` gRPC server on 127.0.0.1, with its own profile dir; each size uses fresh agents, so "first push" really creates the files. The real CLI (\`node cli/bin/run.js push -o json --agents-file FILE\`, FILE holding one NODE=127.0.0.1:PORT line per agent; the catalog's profiles, default --concurrency 32) is timed from spawn to exit, so every figure includes the CLI start. Profile bytes are counted in the agents' SyncProfiles requests. Ratios are against the same push to 1 node in the same run.`,
    'A no-op push costs one SyncProfiles per node once a node of the push was found in sync (it names the digests rendered for the most common kind of node so far; a node that differs is listed and planned as before), and the agents answer it from digests they keep for files unchanged on disk since they read them (an lstat per file, no read).',
  );
  return { name: 'push', title: 'Push fan-out', figures, notes };
}
