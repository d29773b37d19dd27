import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { StatsRecord, ViolationRecord } from '@kubectl-seccomp/cli';
import { CLI_BIN } from '../harness/cluster.js';
import { waitFor } from '../e2e/support.js';

const execFileAsync = promisify(execFile);

/** The `Seccomp:` mode of a process (0 none, 1 strict, 2 filter), from /proc/PID/status. */
export async function seccompMode(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /^Seccomp:\s+(\d)/m.exec(status);
  if (!m) throw new Error(`no Seccomp: line in /proc/${pid}/status`);
  return Number(m[1]);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs kubectl-seccomp (the bundle `npm run build` makes) to its end. */
export async function cli(args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [CLI_BIN, ...args], { maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

export interface Watch {
  violations(): ViolationRecord[];
  stats(): StatsRecord[];
  stop(): void;
}

/** `watch -o json --stats` against one agent; resolves once the stream is open (the first stats line). */
export async function startWatch(node: string, address: string): Promise<Watch> {
  const child = spawn(process.execPath, [CLI_BIN, 'watch', '-o', 'json', '--stats', '--agent', `${node}=${address}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const records = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as ViolationRecord | StatsRecord);
  const watch: Watch = {
    violations: () => records().filter((r): r is ViolationRecord => r.kind === 'violation'),
    stats: () => records().filter((r): r is StatsRecord => r.kind === 'stats'),
    stop: () => child.kill(),
  };
  try {
    await waitFor(`the first stats line of watch --agent ${address}`, () => watch.stats().length > 0 || child.exitCode !== null, { attempts: 600 });
  } catch (err) {
    child.kill();
    throw err;
  }
  if (child.exitCode !== null) throw new Error(`watch exited with ${child.exitCode}`);
  return watch;
}
