import { type CgroupIdentity, parseCgroupPath } from '../../host/cgroup.js';
import type { ProcEvent } from './helper-lines.js';

/**
 * Audit stamps come from the kernel's coarse clock (up to a tick, 10 ms at HZ=100, behind) and are cut
 * to the ms, while process events carry a precise time: an event this much after a record's stamp may
 * still have happened before it.
 */
const STAMP_SLACK_MS = 20;
/** A pid's past holders kept besides its current one (pids come round again on busy nodes). */
const GENERATIONS_PER_PID = 4;

interface Generation {
  startMs: number;
  /** The cgroups the process was in, oldest first, each from when. */
  moves: { atMs: number; cgroupId: number }[];
  exitedMs: number | undefined;
}

export type TrackedIdentity =
  /** The tracker saw this process: its container, or undefined for a host process. */
  | { known: true; identity: CgroupIdentity | undefined }
  /** No event about this pid (a process from before the tracker started, or events lost). */
  | { known: false };

export interface ProcessTrackerOptions {
  /** How long an exited process and a removed cgroup stay nameable (records of exited processes come later). */
  retentionMs?: number;
  /** Bound on tracked pids, live or exited: the oldest go first (a live one is still found through /proc). */
  maxPids?: number;
  /** Bound on known cgroups. */
  maxCgroups?: number;
}

/**
 * pid -> cgroup v2 id -> container, from the helper's fork/exec/attach/exit and mkdir/rmdir events.
 * Pure (no I/O, no clock: time is the events'). Several holders of one pid are told apart by the
 * record's time against their start, so a reused pid is never given the previous holder's container.
 */
export class ProcessTracker {
  private readonly pids = new Map<number, Generation[]>();
  private readonly cgroups = new Map<number, { path: string; identity: CgroupIdentity | undefined; removedMs: number | undefined }>();
  /** Exits and rmdirs in the order they happened, to forget them after the retention time. */
  private readonly exits: { pid: number; atMs: number }[] = [];
  private readonly removals: { cgroupId: number; atMs: number }[] = [];
  private readonly retentionMs: number;
  private readonly maxPids: number;
  private readonly maxCgroups: number;
  /** The latest event time seen: the tracker's "now". */
  private clockMs = 0;
  lostEvents = 0;

  constructor(opts: ProcessTrackerOptions = {}) {
    this.retentionMs = opts.retentionMs ?? 60_000;
    this.maxPids = opts.maxPids ?? 131_072;
    this.maxCgroups = opts.maxCgroups ?? 65_536;
  }

  get trackedPids(): number {
    return this.pids.size;
  }

  /** A cgroup that existed before the tracker started (from a scan of the hierarchy). */
  addCgroup(cgroupId: number, path: string): void {
    if (!this.cgroups.has(cgroupId)) this.setCgroup(cgroupId, path);
  }

  /** A process that existed before the tracker started, in this cgroup since before any record. */
  addProcess(pid: number, cgroupId: number): void {
    if (!this.pids.has(pid)) this.startGeneration(pid, 0, cgroupId);
  }

  apply(event: ProcEvent): void {
    switch (event.kind) {
      case 'fork':
        this.tick(event.timeMs);
        this.startGeneration(event.pid, event.timeMs, event.cgroupId);
        return;
      case 'exec':
      case 'attach':
        this.tick(event.timeMs);
        this.move(event.pid, event.timeMs, event.cgroupId);
        return;
      case 'exit': {
        this.tick(event.timeMs);
        const current = this.pids.get(event.pid)?.at(-1);
        if (current && current.exitedMs === undefined) {
          current.exitedMs = event.timeMs;
          this.exits.push({ pid: event.pid, atMs: event.timeMs });
        }
        this.expire();
        return;
      }
      case 'mkdir':
        this.setCgroup(event.cgroupId, event.path);
        return;
      case 'rmdir': {
        const cgroup = this.cgroups.get(event.cgroupId);
        if (cgroup && cgroup.removedMs === undefined) {
          cgroup.removedMs = this.clockMs;
          this.removals.push({ cgroupId: event.cgroupId, atMs: this.clockMs });
        }
        return;
      }
      case 'lost':
        this.lostEvents += event.count;
        return;
      case 'ready':
      case 'sync':
        return;
    }
  }

  /** Who had `pid` when a record stamped `timeMs` was made. */
  lookup(pid: number, timeMs: number): TrackedIdentity {
    const generations = this.pids.get(pid);
    if (!generations) return { known: false };
    const limit = timeMs + STAMP_SLACK_MS;
    const holder = generations.findLast((g) => g.startMs <= limit);
    if (!holder) return { known: false };
    const move = holder.moves.findLast((m) => m.atMs <= limit) ?? holder.moves[0]!;
    const cgroup = this.cgroups.get(move.cgroupId);
    return cgroup ? { known: true, identity: cgroup.identity } : { known: false };
  }

  /** Whether some event about `pid` arrived (the record's process is then nameable or a host process). */
  knows(pid: number): boolean {
    return this.pids.has(pid);
  }

  private tick(timeMs: number): void {
    if (timeMs > this.clockMs) this.clockMs = timeMs;
  }

  private startGeneration(pid: number, startMs: number, cgroupId: number): void {
    let generations = this.pids.get(pid);
    if (generations) {
      // Map order is insertion order: a pid seen again goes to the back, away from eviction.
      this.pids.delete(pid);
      if (generations.length > GENERATIONS_PER_PID) generations = generations.slice(-GENERATIONS_PER_PID);
    } else {
      generations = [];
      if (this.pids.size >= this.maxPids) this.evictOldestPid();
    }
    generations.push({ startMs, moves: [{ atMs: startMs, cgroupId }], exitedMs: undefined });
    this.pids.set(pid, generations);
  }

  private move(pid: number, atMs: number, cgroupId: number): void {
    const current = this.pids.get(pid)?.at(-1);
    // A process from before the tracker started: known from now on.
    if (!current || current.exitedMs !== undefined) return this.startGeneration(pid, atMs, cgroupId);
    if (current.moves.at(-1)!.cgroupId !== cgroupId) current.moves.push({ atMs, cgroupId });
  }

  private setCgroup(cgroupId: number, path: string): void {
    this.cgroups.delete(cgroupId);
    if (this.cgroups.size >= this.maxCgroups) {
      const oldest = this.cgroups.keys().next();
      if (!oldest.done) this.cgroups.delete(oldest.value);
    }
    this.cgroups.set(cgroupId, { path, identity: parseCgroupPath(path), removedMs: undefined });
  }

  private evictOldestPid(): void {
    const oldest = this.pids.keys().next();
    if (!oldest.done) this.pids.delete(oldest.value);
  }

  /** Forgets exited processes and removed cgroups older than the retention time. */
  private expire(): void {
    const before = this.clockMs - this.retentionMs;
    let n = 0;
    while (n < this.exits.length && this.exits[n]!.atMs < before) {
      const { pid, atMs } = this.exits[n++]!;
      const generations = this.pids.get(pid);
      if (!generations) continue;
      const kept = generations.filter((g) => g.exitedMs === undefined || g.exitedMs > atMs);
      if (kept.length > 0) this.pids.set(pid, kept);
      else this.pids.delete(pid);
    }
    if (n > 0) this.exits.splice(0, n);
    let m = 0;
    while (m < this.removals.length && this.removals[m]!.atMs < before) {
      const { cgroupId, atMs } = this.removals[m++]!;
      const cgroup = this.cgroups.get(cgroupId);
      if (cgroup?.removedMs !== undefined && cgroup.removedMs <= atMs) this.cgroups.delete(cgroupId);
    }
    if (m > 0) this.removals.splice(0, m);
  }
}
