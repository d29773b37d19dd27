import type { Violation } from '@kubectl-seccomp/proto';

/** Which pods are the workload's, as far as the API server said so far. */
export interface Ownership {
  /** The workload's pods among those looked up. */
  readonly ours: ReadonlySet<string>;
  /** Settles once `pod` was looked up: at once for a pod already known, after asking for a new one. */
  lookedUp(pod: string): Promise<void>;
}

/**
 * The syscalls each of the template's containers made in the workload's own pods, and when one was
 * seen for the first time (what --until-idle waits on). Only the workload's pods count: another pod of
 * the namespace with a container of the same name must not keep a recording going.
 */
export class NewCalls {
  readonly #seen = new Map<string, Set<string>>();
  #lastNewAt: number;

  constructor(
    private readonly containers: readonly string[],
    private readonly ownership: Ownership,
    now: number = Date.now(),
  ) {
    this.#lastNewAt = now;
  }

  get lastNewAt(): number {
    return this.#lastNewAt;
  }

  /** The clock starts again (the recording starts now). */
  restart(now: number = Date.now()): void {
    this.#lastNewAt = now;
  }

  /** Settles once the violation's pod is known to be the workload's or not, and counted if it is. */
  async add(v: Violation): Promise<void> {
    if (v.pod === '' || !this.containers.includes(v.container)) return;
    await this.ownership.lookedUp(v.pod);
    if (!this.ownership.ours.has(v.pod)) return;
    const calls = this.#seen.get(v.container) ?? new Set<string>();
    if (!calls.has(v.syscall)) this.#lastNewAt = Date.now();
    this.#seen.set(v.container, calls.add(v.syscall));
  }
}
