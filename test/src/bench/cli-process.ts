import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { nowMs } from './stats.js';

export const CLI_BIN = fileURLToPath(new URL('../../../cli/bin/run.js', import.meta.url));

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to its end, timing it from spawn to exit; killed (by its pid) after timeoutMs. */
export function runTimed(command: string, args: string[], timeoutMs = 120_000): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const start = nowMs();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: nowMs() - start });
    });
  });
}

/** The real CLI, as `kubectl seccomp ...` runs it. */
export const runCli = (args: string[], timeoutMs?: number): Promise<Finished> => runTimed(process.execPath, [CLI_BIN, ...args], timeoutMs);
