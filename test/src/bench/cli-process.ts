import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nowMs } from './stats.js';

export const CLI_BIN = fileURLToPath(new URL('../../../cli/bin/run.js', import.meta.url));

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** CPU time (user + system) of the process, sampled every 50 ms while it ran: a lower bound. */
  cpuMs: number;
}

/** utime + stime of a process in ms (USER_HZ is 100 on Linux), undefined once it is gone. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** Runs a command to its end, timing it from spawn to exit; killed (by its pid) after timeoutMs. */
export function runTimed(command: string, args: string[], timeoutMs = 120_000, env?: NodeJS.ProcessEnv): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const start = nowMs();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env && { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    let cpuMs = 0;
    const sampler = setInterval(() => (cpuMs = processCpuMs(child.pid!) ?? cpuMs), 50);
    child.on('error', (err) => {
      clearTimeout(timer);
      clearInterval(sampler);
      reject(err);
    });
    child.on('exit', () => clearInterval(sampler));
    child.on('close', (code) => {
      clearTimeout(timer);
      clearInterval(sampler);
      resolve({ code, stdout, stderr, ms: nowMs() - start, cpuMs });
    });
  });
}

/** The real CLI, as `kubectl seccomp ...` runs it. */
export const runCli = (args: string[], timeoutMs?: number): Promise<Finished> => runTimed(process.execPath, [CLI_BIN, ...args], timeoutMs);
