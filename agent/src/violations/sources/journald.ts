import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../../log.js';
import { silentLogger } from '../../log.js';
import type { RecordSource, SourceSink, StartOptions } from '../source.js';
import { JournalEntry } from '../parse/journal-entry.js';
import { journalctlArgs, type KernelTransport } from './journalctl-args.js';
import { LineSplitter } from './line-splitter.js';
import { mayConcernSeccomp } from './prefilter.js';

export interface JournaldSourceOptions {
  /** The host's filesystem root; its journal is read with `--root` unless `directory` is given. */
  hostRoot: string;
  /** A journal directory to read instead of the host's (`--directory`). */
  directory?: string;
  /** The journalctl binary. Default `journalctl` from PATH. */
  journalctl?: string;
  /**
   * What to follow of journald's kernel transport (see KernelTransport). Default 'all', which becomes
   * 'warnings' once the audit transport is seen carrying a seccomp record.
   */
  kernelTransport?: KernelTransport;
  /** Forward only kernel-transport entries that may concern seccomp (see prefilter.ts). Default true. */
  prefilter?: boolean;
  /** First wait before restarting a journalctl that died; doubles up to backoffMaxMs. Default 500 ms. */
  backoffMinMs?: number;
  /** Default 30 s. */
  backoffMaxMs?: number;
  /** How long journalctl gets to exit on SIGTERM before SIGKILL. Default 5 s. */
  stopTimeoutMs?: number;
  /**
   * How long output is still read after journalctl itself exited, before what it left running (a
   * descendant holding its stdout) is killed with its process group. Default 1 s.
   */
  exitGraceMs?: number;
  logger?: Logger;
}

const STDERR_KEEP = 2048;

/**
 * What the source makes of one line of journalctl (exported for the benchmark, which pays the same):
 * the entry, its cursor, and whether to hand it over (the pre-filter drops kernel-transport lines
 * without a marker). undefined when the line is not a JSON object.
 */
export function readJournalLine(line: string, prefilter: boolean): { entry: JournalEntry; cursor: string | undefined; forward: boolean } | undefined {
  const entry = JournalEntry.parse(line);
  if (!entry) return undefined;
  const cursor = entry.field('__CURSOR');
  return { entry, cursor: typeof cursor === 'string' ? cursor : undefined, forward: !prefilter || mayConcernSeccompEntry(entry) };
}

/** A kernel-transport entry without a marker is kernel chatter; a MESSAGE that is not text is left to the parser. */
function mayConcernSeccompEntry(entry: JournalEntry): boolean {
  if (entry.transport !== 'kernel') return true;
  const message = entry.field('MESSAGE');
  return typeof message !== 'string' || mayConcernSeccomp(message);
}

/**
 * Follows the journal through `journalctl -f -o json` (the journal file format is journald's
 * business; its reader is the supported interface). journalctl is restarted with backoff when it
 * dies, resuming after the last `__CURSOR` read, so a restart neither loses nor repeats entries.
 */
export class JournaldSource implements RecordSource {
  readonly name = 'journald' as const;
  private readonly opts: JournaldSourceOptions;
  private readonly log: Logger;
  private readonly prefilter: boolean;
  private readonly backoffMinMs: number;
  private readonly backoffMaxMs: number;
  private child: ChildProcess | undefined;
  private childClosed: Promise<void> = Promise.resolve();
  private sink: SourceSink | undefined;
  private cursor: string | undefined;
  private sinceUnixMs = 0;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private running = false;
  /** journalctl was stopped to be started again with other matches, not because it failed. */
  private respawning = false;
  private kernel: KernelTransport;

  constructor(opts: JournaldSourceOptions) {
    this.opts = opts;
    this.kernel = opts.kernelTransport ?? 'all';
    this.log = opts.logger ?? silentLogger;
    this.prefilter = opts.prefilter ?? true;
    this.backoffMinMs = opts.backoffMinMs ?? 500;
    this.backoffMaxMs = opts.backoffMaxMs ?? 30_000;
  }

  /** Resolves once journalctl runs (or failed to start: then it is retried in the background). */
  async start(sink: SourceSink, opts: StartOptions): Promise<void> {
    if (this.running) throw new Error('journald source already started');
    this.running = true;
    this.sink = sink;
    // "From now" is a time, not --lines=0: entries stored while journalctl starts up count too.
    this.sinceUnixMs = opts.sinceUnixMs > 0 ? opts.sinceUnixMs : Date.now();
    // A previous agent's place (--state-dir) wins: what was logged while none was reading comes first.
    this.cursor = opts.resume?.journalCursor;
    await this.spawnJournalctl();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.respawning = false;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const child = this.child;
    if (!child) return;
    const closed = this.childClosed;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => killGroup(child), this.opts.stopTimeoutMs ?? 5000);
      await closed;
      clearTimeout(killer);
    } else {
      await closed;
    }
  }

  /** What journalctl is asked for from the kernel transport now. */
  get kernelTransport(): KernelTransport {
    return this.kernel;
  }

  /** The cursor a restart resumes from; exposed for the agent's own restart (and tests). */
  get lastCursor(): string | undefined {
    return this.cursor;
  }

  private spawnJournalctl(): Promise<void> {
    const binary = this.opts.journalctl ?? 'journalctl';
    const args = journalctlArgs({
      root: this.opts.hostRoot,
      directory: this.opts.directory,
      cursor: this.cursor,
      sinceUnixMs: this.sinceUnixMs,
      kernelTransport: this.kernel,
    });
    // Its own process group, so that whatever it leaves behind can be ended with it (see onExit).
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    const lines = new LineSplitter();
    let stderr = '';
    let failed: string | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of lines.push(chunk)) this.onLine(line);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    // 'close' waits for the end of stdout, which a descendant journalctl left behind may hold open
    // for ever: once journalctl itself has exited, read for a grace period, then end its group.
    let orphanKiller: NodeJS.Timeout | undefined;
    child.once('exit', () => {
      orphanKiller = setTimeout(() => {
        killGroup(child);
        child.stdout.destroy();
        child.stderr.destroy();
      }, this.opts.exitGraceMs ?? 1000);
    });
    this.childClosed = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        clearTimeout(orphanKiller);
        if (this.child === child) this.child = undefined;
        resolve();
        if (!this.running) return;
        const respawn = this.respawning;
        this.respawning = false;
        // Ended by our SIGTERM (systemd 252's journalctl dies of it, newer ones exit 0): start the new
        // one at once. Ended otherwise meanwhile: a failure.
        if (respawn && (signal === 'SIGTERM' || code === 0)) {
          void this.spawnJournalctl();
          return;
        }
        const how = failed ?? (signal ? `killed by ${signal}` : `exited with code ${code}`);
        this.onDeath(`${binary} ${how}${stderr.trim() ? `: ${stderr.trim()}` : ''}`);
      });
    });
    return new Promise((resolve) => {
      child.once('spawn', () => {
        this.log.info({ source: 'journald', pid: child.pid, args }, 'journalctl started');
        this.sink?.healthy();
        resolve();
      });
      child.once('error', (err) => {
        failed = `could not run: ${err.message}`;
        resolve();
      });
    });
  }

  private onLine(line: string): void {
    if (line.length === 0) return;
    const read = readJournalLine(line, this.prefilter);
    if (!read) {
      this.log.warn({ source: 'journald', line: line.slice(0, 200) }, 'journalctl printed a line that is not a JSON object');
      return;
    }
    if (read.cursor !== undefined) {
      this.cursor = read.cursor;
      this.sink?.advanced?.({ journalCursor: read.cursor });
    }
    this.failures = 0;
    if (read.forward) this.sink?.record({ source: 'journald', kind: 'journal', entry: read.entry });
    if (this.kernel === 'all' && read.entry.transport === 'audit') this.leaveKernelRecords();
  }

  /**
   * journald's audit transport carries the seccomp records (journald has its audit socket), so the
   * kernel transport's are copies: each a JSON line read, checked and dropped, half of what the
   * source costs per record. journalctl is started again after the last line read, asking the kernel
   * transport only for the kernel's reports of what it dropped. Lines the old journalctl still
   * prints before it exits are read as usual: the new one starts after them.
   */
  private leaveKernelRecords(): void {
    this.kernel = 'warnings';
    this.log.info({ source: 'journald' }, "journald's audit transport carries the seccomp records: following its kernel transport for loss reports only");
    if (!this.child) return;
    this.respawning = true;
    this.child.kill('SIGTERM');
  }

  private onDeath(reason: string): void {
    const delay = Math.min(this.backoffMaxMs, this.backoffMinMs * 2 ** this.failures);
    this.failures++;
    this.log.warn({ source: 'journald', retryInMs: delay }, reason);
    this.sink?.unhealthy(reason);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.running) void this.spawnJournalctl();
    }, delay);
  }
}

/** SIGKILL to the process group journalctl leads (spawned detached): it and anything it left running. */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is already empty.
  }
}
