import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI_BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
/** What kubectl runs for `kubectl seccomp <TAB>` (plugin completion, kubectl >= 1.26). */
export const COMPLETE_BIN = fileURLToPath(new URL('../../bin/kubectl_complete-seccomp', import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const running = new Set<ChildProcess>();

export interface CliOptions {
  stdin?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Only `env` and PATH, nothing of the machine's (its KUBECONFIG, HOME). */
  isolated?: boolean;
}

/** Starts the built CLI (node cli/bin/run.js ARGS); `done` settles when it exits. */
export function startCli(args: string[], opts: CliOptions = {}): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    cwd: opts.cwd,
    env: { ...(opts.isolated ? { PATH: process.env.PATH } : process.env), NO_COLOR: '1', ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin!.end(opts.stdin ?? '');
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done };
}

/** Runs the built CLI to its end. */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  return startCli(args, opts).done;
}

/** Runs the CLI with -o json and parses stdout; the failure message carries stderr. */
export async function runCliJson<T>(args: string[], opts?: CliOptions): Promise<CliRun & { json: T }> {
  const run = await runCli([...args, '-o', 'json'], opts);
  try {
    return { ...run, json: JSON.parse(run.stdout) as T };
  } catch {
    throw new Error(`kubectl-seccomp ${args.join(' ')} printed no JSON (exit ${run.code}).\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  }
}

/** stderr as one line: oclif wraps error messages at the terminal width behind " › " markers. */
export function errorText(run: CliRun): string {
  return run.stderr
    .replace(/\s*›\s*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** For afterEach: kills CLI processes a failed test left running (by their own pid). */
export function killStrayClis(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
