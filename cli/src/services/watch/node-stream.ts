import { setTimeout as delay } from 'node:timers/promises';
import { AgentError } from '@kubectl-seccomp/proto';
import type { WatchViolationsRequest } from '@kubectl-seccomp/proto';
import type { AgentHandle, AgentTarget } from '../../targets/types.js';
import { openUnlessAborted, untilAborted } from './abortable.js';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
import type { BackoffPolicy } from './backoff.js';
import { RecentIds } from './recent-ids.js';
import type { UpdateSink } from './types.js';

export interface NodeStreamOptions {
  signal: AbortSignal;
  /**
   * Takes a name the agent reported for a node given as an address; false when another node already
   * has it (the address label stays). Default: always true.
   */
  claimName?: (name: string) => boolean;
  backoff?: BackoffPolicy;
  /** Wall clock (ms since the epoch); injected by tests. */
  now?: () => number;
}

/** Codes that retrying cannot fix: the node is reported as failed at once. */
const PERMANENT = new Set(['invalid-argument', 'unimplemented', 'failed-precondition', 'not-found']);

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch {
    // Aborted: the caller checks the signal.
  }
}

/**
 * Streams one node's violations into sink until the signal aborts, reconnecting with backoff when the
 * agent goes away. After a reconnect the agent is asked for events since the last one seen, and events
 * whose audit id was already delivered are dropped, so nothing is shown twice. Never throws.
 */
export async function watchNode(target: AgentTarget, request: WatchViolationsRequest, sink: UpdateSink, opts: NodeStreamOptions): Promise<void> {
  const { signal } = opts;
  const policy = opts.backoff ?? DEFAULT_BACKOFF;
  const now = opts.now ?? Date.now;
  let node = target.node;
  let labelFromAgent = target.labelFromAgent === true;
  const seen = new RecentIds();
  let lastEventMs = 0;
  let firstStreamMs = 0;
  let failures = 0;

  while (!signal.aborted) {
    sink({ kind: 'state', node, state: { phase: 'connecting', attempt: failures + 1 } });
    let handle: AgentHandle | undefined;
    let error: string;
    try {
      handle = await openUnlessAborted(target.open(signal), signal, (h) => h.close());
      if (!handle) break;
      // Without any event yet, "since the stream first worked" still covers the gap of a restart.
      const sinceUnixMs = lastEventMs || request.sinceUnixMs || firstStreamMs;
      let streaming = false;
      for await (const event of untilAborted(handle.api.watchViolations({ ...request, sinceUnixMs }, { signal }), signal)) {
        if (!streaming) {
          streaming = true;
          failures = 0;
          firstStreamMs ||= now();
          sink({ kind: 'state', node, state: { phase: 'streaming' } });
        }
        if (event.kind === 'stats') {
          const name = event.stats.nodeName;
          if (labelFromAgent && name !== '' && name !== node && (opts.claimName?.(name) ?? true)) {
            sink({ kind: 'named', node, name });
            node = name;
          }
          labelFromAgent = false;
          sink({ kind: 'stats', node, stats: event.stats });
          continue;
        }
        const v = event.violation;
        if (v.auditId !== '' && !seen.add(v.auditId)) continue;
        if (v.timeUnixMs > lastEventMs) lastEventMs = v.timeUnixMs;
        sink({ kind: 'violation', node, violation: v });
      }
      error = 'the agent ended the stream';
    } catch (err) {
      if (signal.aborted) break;
      if (err instanceof AgentError && PERMANENT.has(err.code)) {
        sink({ kind: 'state', node, state: { phase: 'failed', error: describe(err) } });
        return;
      }
      error = describe(err);
    } finally {
      await handle?.close().catch(() => undefined);
    }
    if (signal.aborted) break;
    failures += 1;
    if (failures >= policy.maxFailures) {
      sink({ kind: 'state', node, state: { phase: 'failed', error } });
      return;
    }
    const delayMs = backoffDelay(failures, policy);
    sink({ kind: 'state', node, state: { phase: 'reconnecting', failures, delayMs, error } });
    await sleep(delayMs, signal);
  }
  sink({ kind: 'state', node, state: { phase: 'stopped' } });
}

/** Opens every target at once (streams are long-lived: no concurrency bound) and merges them into sink. */
export async function watchTargets(targets: readonly AgentTarget[], request: WatchViolationsRequest, sink: UpdateSink, opts: NodeStreamOptions): Promise<void> {
  const labels = new Set(targets.map((t) => t.node));
  const claimName = (name: string): boolean => !labels.has(name) && Boolean(labels.add(name));
  await Promise.all(targets.map((t) => watchNode(t, request, sink, { claimName, ...opts })));
}
