import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { daemonSetNodeOptions } from './daemonset-env.js';

export const AGENT_BIN = fileURLToPath(new URL('../../../agent/bin/seccomp-agent.js', import.meta.url));

export interface AgentProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** The bound gRPC address, from the agent's "listening" log line. */
  readonly address: string;
  /** Every JSON log line so far (stderr). */
  readonly logs: Record<string, unknown>[];
  /** Resident set size in bytes, from /proc/PID/status. */
  rss(): Promise<number>;
  /** SIGTERM, then SIGKILL after graceMs; resolves with the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>;
  kill(): Promise<void>;
}

const started = new Set<AgentProcess>();

/**
 * Starts the real seccomp-agent process (agent/bin/seccomp-agent.js) with the DaemonSet's NODE_OPTIONS
 * and waits for it to say where it listens. Port 0 and loopback unless the args say otherwise.
 */
export async function startAgentProcess(args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; bin?: string } = {}): Promise<AgentProcess> {
  const child = spawn(process.execPath, [opts.bin ?? AGENT_BIN, '--listen', '127.0.0.1:0', '--metrics-listen', '', ...args], {
    env: { ...process.env, NODE_OPTIONS: [process.env.NODE_OPTIONS, daemonSetNodeOptions()].filter(Boolean).join(' '), ...opts.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Never leave an agent behind: a test that gives up on it has no handle to stop it.
      child.kill('SIGKILL');
      reject(new Error(`seccomp-agent did not listen within ${opts.timeoutMs ?? 60_000} ms: ${JSON.stringify(logs)}`));
    }, opts.timeoutMs ?? 60_000);
    createInterface({ input: child.stderr! }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        entry = { msg: line, level: 'raw' };
      }
      logs.push(entry);
      if (entry.msg === 'listening' && typeof entry.address === 'string') {
        clearTimeout(timer);
        resolve(entry.address);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`seccomp-agent exited with ${code} before listening: ${JSON.stringify(logs)}`));
    });
  });
  const proc: AgentProcess = {
    child,
    pid: child.pid!,
    address,
    logs,
    rss: async () => {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) * 1024;
    },
    stop: async (graceMs = 10000) => {
      started.delete(proc);
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    kill: async () => {
      started.delete(proc);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  started.add(proc);
  return proc;
}

/** For after/afterEach hooks: kills every agent a failed test left running (by its own pid). */
export async function killStrayAgents(): Promise<void> {
  await Promise.all([...started].map((a) => a.kill()));
}
