import { AgentError } from '@kubectl-seccomp/proto';
import { loggedViolation } from '@kubectl-seccomp/proto/testing';
import type { AgentApi, CallOptions, StreamStats, Violation, WatchEvent, WatchViolationsRequest } from '@kubectl-seccomp/proto';
import type { AgentHandle, AgentTarget } from '../targets/types.js';

/** Test helpers (not a test file): violations and an agent whose stream the test drives. */

export function makeViolation(over: Partial<Violation> = {}): Violation {
  return { ...loggedViolation, node: 'n', namespace: 'shop', pod: 'cart-1', container: 'app', containerId: 'c0ffee', ...over };
}

type Item = { event: WatchEvent } | { end: true } | { error: unknown };

/** One open WatchViolations call: the test pushes events into it and ends or breaks it. */
export class FakeStream {
  private items: Item[] = [];
  private head = 0;
  private wake: (() => void) | undefined;

  constructor(readonly request: WatchViolationsRequest) {}

  push(...events: WatchEvent[]): void {
    for (const event of events) this.items.push({ event });
    this.wake?.();
  }

  end(): void {
    this.items.push({ end: true });
    this.wake?.();
  }

  fail(error: unknown): void {
    this.items.push({ error });
    this.wake?.();
  }

  async *iterate(signal?: AbortSignal): AsyncGenerator<WatchEvent> {
    const onAbort = (): void => this.wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      for (;;) {
        if (signal?.aborted) return;
        const item = this.items[this.head];
        if (item) this.head += 1;
        if (this.head > 1024 && this.head === this.items.length) {
          this.items = [];
          this.head = 0;
        }
        if (!item) {
          await new Promise<void>((resolve) => (this.wake = resolve));
          continue;
        }
        if ('end' in item) return;
        if ('error' in item) throw item.error;
        yield item.event;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

/**
 * An AgentApi whose watch streams are FakeStreams; waits let a test follow the reconnects. Like the
 * real agent, each stream starts with a stats event unless quiet is set.
 */
export class FakeAgent implements AgentApi {
  readonly streams: FakeStream[] = [];
  private waiters: Array<() => void> = [];

  /** nodeName: what the agent says it runs on, in every stream's first stats event. */
  constructor(
    private readonly quiet = false,
    private readonly nodeName = '',
  ) {}

  async doctor(): Promise<never> {
    throw new AgentError('unimplemented', 'not in this fake');
  }
  async listProfiles(): Promise<never> {
    throw new AgentError('unimplemented', 'not in this fake');
  }
  async syncProfiles(): Promise<never> {
    throw new AgentError('unimplemented', 'not in this fake');
  }
  async version(): Promise<never> {
    throw new AgentError('unimplemented', 'not in this fake');
  }

  watchViolations(req: WatchViolationsRequest, opts?: CallOptions): AsyncIterable<WatchEvent> {
    const stream = new FakeStream(req);
    if (!this.quiet) stream.push(statsEvent(0, 0, 0, { nodeName: this.nodeName }));
    this.streams.push(stream);
    for (const w of this.waiters.splice(0)) w();
    return stream.iterate(opts?.signal);
  }

  /** Resolves with the n-th (1-based) stream once it has been opened. */
  async stream(n: number): Promise<FakeStream> {
    while (this.streams.length < n) await new Promise<void>((r) => this.waiters.push(r));
    return this.streams[n - 1]!;
  }
}

/** A target over a FakeAgent; opening fails while `down` is set, like a restarting pod. */
export function fakeTarget(node: string, agent: AgentApi, state: { down?: boolean; opened?: number; closed?: number } = {}): AgentTarget {
  return {
    node,
    via: 'direct',
    endpoint: `fake:${node}`,
    async open(): Promise<AgentHandle> {
      if (state.down) throw new AgentError('unavailable', `${node} is down`);
      state.opened = (state.opened ?? 0) + 1;
      return { api: agent, close: async () => void (state.closed = (state.closed ?? 0) + 1) };
    },
  };
}

export const violationEvent = (over: Partial<Violation> = {}): WatchEvent => ({ kind: 'violation', violation: makeViolation(over) });

/** A StreamStats with every field, zero unless given. */
export const makeStats = (over: Partial<StreamStats> = {}): StreamStats => ({
  seen: 0,
  dropped: 0,
  lost: 0,
  sources: [],
  timeUnixMs: 1,
  nodeName: '',
  losses: [],
  unattributed: 0,
  ...over,
});

export const statsEvent = (seen: number, dropped = 0, lost = 0, over: Partial<StreamStats> = {}): WatchEvent => ({
  kind: 'stats',
  stats: makeStats({ seen, dropped, lost, sources: [{ name: 'kmsg', healthy: true, error: '', records: seen, lost, damaged: 0 }], ...over }),
});

/** Polls until cond holds; for waiting on async stream delivery without a fixed sleep. */
export async function until(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
