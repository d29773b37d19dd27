import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineSplitter } from '../sources/line-splitter.js';

export type CaptureMode = 'procs' | 'audit';

/** The helper could not start: not built, not permitted (exit 2), or anything else it said. */
export class CaptureUnavailableError extends Error {
  override readonly name = 'CaptureUnavailableError';
  constructor(
    message: string,
    readonly notPermitted: boolean,
  ) {
    super(message);
  }
}

const HELPER = 'seccomp-capture';
const STDERR_KEEP = 2048;

/**
 * Where `seccomp-capture` is: the explicit path, else agent/native/build/ of this package (from
 * dist/ or the bundle; from the CLI's bundle in a checkout, for --local), else PATH (the image
 * installs it there). undefined when nowhere.
 */
export async function findCaptureHelper(explicit?: string): Promise<string | undefined> {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = explicit
    ? [explicit]
    : [
        ...[1, 2, 3, 4].map((up) => join(here, ...Array<string>(up).fill('..'), 'native/build', HELPER)),
        ...[2, 3].map((up) => join(here, ...Array<string>(up).fill('..'), 'agent/native/build', HELPER)),
        ...(process.env.PATH ?? '')
          .split(delimiter)
          .filter(Boolean)
          .map((d) => join(d, HELPER)),
      ];
  for (const candidate of candidates) {
    if (
      await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return undefined;
}

export interface CaptureHelperHandlers {
  line(line: string): void;
  /** The helper ended after it was ready (not by stop()). */
  exited(reason: string): void;
}

/**
 * One running `seccomp-capture MODE`: lines in, `sync` requests out. start() resolves once it prints
 * `ready` (its BPF programs attached or its socket bound) and rejects with why it could not.
 */
export class CaptureHelper {
  private child: ChildProcess | undefined;
  private stopping = false;

  constructor(
    private readonly binary: string,
    private readonly mode: CaptureMode,
    private readonly handlers: CaptureHelperHandlers,
  ) {}

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.binary, [this.mode], { stdio: ['pipe', 'pipe', 'pipe'] });
      this.child = child;
      let ready = false;
      let stderr = '';
      const lines = new LineSplitter();
      child.stdin!.on('error', () => undefined);
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
      });
      child.stdout!.on('data', (chunk: Buffer) => {
        for (const line of lines.push(chunk)) {
          if (!ready && line === 'ready') {
            ready = true;
            resolve();
          }
          this.handlers.line(line);
        }
      });
      child.once('error', (err) => reject(new CaptureUnavailableError(`cannot run ${this.binary}: ${err.message}`, false)));
      child.once('close', (code, signal) => {
        const said =
          stderr
            .trim()
            .split('\n')
            .filter((l) => l.startsWith('error '))
            .at(-1)
            ?.slice(6) ?? stderr.trim();
        const reason = `${HELPER} ${this.mode} exited (${signal ?? `status ${code}`})${said ? `: ${said}` : ''}`;
        if (!ready) reject(new CaptureUnavailableError(reason, code === 2));
        else if (!this.stopping) this.handlers.exited(reason);
      });
    });
  }

  send(line: string): void {
    this.child?.stdin?.write(`${line}\n`);
  }

  /** Closing its stdin ends the helper; SIGKILL if it lingers. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.stopping = true;
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    child.stdin?.end();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    await closed;
    clearTimeout(timer);
  }
}
