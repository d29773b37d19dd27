import type { CgroupIdentity } from '../../host/cgroup.js';
import type { Logger } from '../../log.js';
import type { AgentMetrics } from '../../metrics.js';
import type { ProcessLookup } from '../enrich.js';
import { CaptureHelper, CaptureUnavailableError } from './capture-helper.js';
import { findUnifiedHierarchy, scanCgroups, scanProcessCgroups } from './cgroup-hierarchy.js';
import { parseProcLine } from './helper-lines.js';
import { ProcessTracker } from './process-tracker.js';

export interface ProcessTrackingOptions {
  /** The seccomp-capture binary (findCaptureHelper). */
  helper: string;
  hostRoot: string;
  /** Used for pids the tracker has no event about, and for everything once the helper is gone. */
  fallback: ProcessLookup;
  log: Logger;
  /** Bound on waiting for the helper to catch up with the kernel before a record is named. */
  syncTimeoutMs?: number;
  tracker?: ProcessTracker;
  metrics?: Pick<AgentMetrics, 'processTracking' | 'processEventsLost'> | undefined;
}

/**
 * Names a record's process from what the kernel said at fork/exec/exit time (seccomp-capture procs),
 * so a process that exited at once, or was killed and reaped, is still named. Pids it has no event
 * about go to the /proc fallback.
 */
export class ProcessTracking implements ProcessLookup {
  readonly tracker: ProcessTracker;
  private readonly helper: CaptureHelper;
  private running = false;
  private nextToken = 1;
  private readonly waiting = new Map<number, () => void>();

  constructor(private readonly opts: ProcessTrackingOptions) {
    this.tracker = opts.tracker ?? new ProcessTracker();
    this.helper = new CaptureHelper(opts.helper, 'procs', {
      line: (line) => this.onLine(line),
      exited: (reason) => {
        this.running = false;
        opts.metrics?.processTracking(false);
        this.releaseWaiters();
        opts.log.warn({ reason }, 'process tracking stopped: records of exited processes can no longer be named');
      },
    });
  }

  /** Starts the helper, then learns the cgroups and processes that already exist. Rejects with CaptureUnavailableError. */
  async start(): Promise<void> {
    // On a cgroup v1-only host every process reports the v2 root: the tracker would name nothing.
    const unified = await findUnifiedHierarchy(this.opts.hostRoot);
    if (!unified) throw new CaptureUnavailableError('no cgroup v2 hierarchy under /sys/fs/cgroup: processes cannot be told apart by cgroup id', false);
    await this.helper.start();
    this.running = true;
    this.opts.metrics?.processTracking(true);
    // After `ready`: anything made from now on comes as an event, so nothing falls between.
    const byPath = new Map<string, number>();
    await scanCgroups(unified, (id, path) => {
      this.tracker.addCgroup(id, path);
      byPath.set(path, id);
    });
    await scanProcessCgroups(this.opts.hostRoot, (pid, path) => {
      const id = byPath.get(path);
      if (id !== undefined) this.tracker.addProcess(pid, id);
    });
  }

  get active(): boolean {
    return this.running;
  }

  identify(pid: number, timeUnixMs?: number): CgroupIdentity | undefined {
    if (this.running && timeUnixMs !== undefined) {
      const tracked = this.tracker.lookup(pid, timeUnixMs);
      if (tracked.known && tracked.identity) return tracked.identity;
    }
    return this.opts.fallback.identify(pid, timeUnixMs);
  }

  isHostProcess(pid: number, timeUnixMs: number): boolean {
    if (!this.running) return false;
    const tracked = this.tracker.lookup(pid, timeUnixMs);
    return tracked.known && tracked.identity === undefined;
  }

  batch<T>(fn: () => T): T {
    return this.opts.fallback.batch ? this.opts.fallback.batch(fn) : fn();
  }

  /**
   * A record read before this call whose pid has no event yet was made by a process whose fork or exec
   * the kernel had already put in the ring buffer: resolves once the helper has written all of it.
   */
  settle(pids: readonly number[]): Promise<void> | undefined {
    if (!this.running || pids.every((pid) => this.tracker.knows(pid))) return undefined;
    const token = this.nextToken++;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.opts.syncTimeoutMs ?? 500);
      const waiting = this.waiting;
      function done(): void {
        clearTimeout(timer);
        waiting.delete(token);
        resolve();
      }
      this.waiting.set(token, done);
      this.helper.send(`sync ${token}`);
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.helper.stop();
    this.releaseWaiters();
  }

  private onLine(line: string): void {
    const event = parseProcLine(line);
    if (!event) {
      this.opts.log.debug({ line: line.slice(0, 200) }, 'unknown line from seccomp-capture procs');
      return;
    }
    if (event.kind === 'sync') {
      // Answers come in order: every earlier request is answered too.
      for (const [token, done] of this.waiting) if (token <= event.token) done();
      return;
    }
    if (event.kind === 'lost') {
      this.opts.log.warn({ count: event.count }, 'process events lost: some records may go unnamed');
      this.opts.metrics?.processEventsLost(event.count);
    }
    this.tracker.apply(event);
  }

  private releaseWaiters(): void {
    for (const done of [...this.waiting.values()]) done();
  }
}
