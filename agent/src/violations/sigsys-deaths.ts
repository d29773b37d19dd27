import type { CgroupIdentity } from '../host/cgroup.js';

/** 128 + SIGSYS: the exit code a runtime reports for a container whose main process a seccomp KILL ended. */
export const SIGSYS_EXIT_CODE = 159;

/** What a pod status says about one container instance (kept free of client-node types). */
export interface TerminatedStatus {
  containerID?: string | undefined;
  exitCode?: number | undefined;
  finishedAt?: Date | string | undefined;
}

export interface SigsysDeath {
  containerId: string;
  podUid: string;
  finishedAtMs: number;
}

/** The SIGSYS deaths a pod's container statuses show (current state and last state). */
export function sigsysDeathsOf(podUid: string, terminated: readonly (TerminatedStatus | undefined)[]): SigsysDeath[] {
  const deaths: SigsysDeath[] = [];
  for (const t of terminated) {
    if (t?.exitCode !== SIGSYS_EXIT_CODE || !t.containerID || t.finishedAt === undefined) continue;
    const finishedAtMs = new Date(t.finishedAt).getTime();
    const sep = t.containerID.indexOf('://');
    if (Number.isFinite(finishedAtMs)) deaths.push({ containerId: sep < 0 ? t.containerID : t.containerID.slice(sep + 3), podUid, finishedAtMs });
  }
  return deaths;
}

/** finishedAt has second precision, and the kill follows the record at once. */
const BEFORE_MS = 1000;
const AFTER_MS = 5000;

/**
 * Containers whose main process died of SIGSYS, from pod statuses: a KILL record whose process is gone
 * and unnamed is put to the one container that died at that time. The privilege-free fallback for
 * nodes without process tracking; an ambiguous time (two deaths) names nothing.
 */
export class SigsysDeaths {
  private deaths: SigsysDeath[] = [];
  private waiters: { timeMs: number; resolve: () => void }[] = [];

  constructor(private readonly maxDeaths = 1024) {}

  add(death: SigsysDeath): void {
    if (this.deaths.some((d) => d.containerId === death.containerId)) return;
    this.deaths.push(death);
    if (this.deaths.length > this.maxDeaths) this.deaths.shift();
    this.waiters = this.waiters.filter((w) => {
      if (!this.matches(death, w.timeMs)) return true;
      w.resolve();
      return false;
    });
  }

  match(timeMs: number): CgroupIdentity | undefined {
    const found = this.deaths.filter((d) => this.matches(d, timeMs));
    return found.length === 1 ? { containerId: found[0]!.containerId, podUid: found[0]!.podUid, runtime: '' } : undefined;
  }

  /** Resolves once a death at timeMs is known, or after boundMs (the kubelet reports a death within seconds). */
  waitFor(timeMs: number, boundMs: number): Promise<void> {
    if (this.match(timeMs)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        timeMs,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      }, boundMs);
      this.waiters.push(waiter);
    });
  }

  private matches(d: SigsysDeath, timeMs: number): boolean {
    return d.finishedAtMs > timeMs - BEFORE_MS && d.finishedAtMs <= timeMs + AFTER_MS;
  }
}
