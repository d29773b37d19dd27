import type { Violation, WatchViolationsRequest } from '@kubectl-seccomp/proto';
import type { AgentTarget } from '../../targets/types.js';
import type { BackoffPolicy } from './backoff.js';
import { watchTargets } from './node-stream.js';
import { selectPods, type PodSelection } from './pod-selection.js';
import type { WatchSession } from './session.js';
import type { UpdateSink, WatchUpdate } from './types.js';

export type StopReason = 'duration' | 'violation' | 'stopped' | 'all-failed';

export interface WatchRunOptions {
  targets: readonly AgentTarget[];
  request: WatchViolationsRequest;
  session: WatchSession;
  /** Stop after this long (--duration). */
  durationMs?: number;
  /** Stop at the first violation (--exit-on-violation). */
  exitOnViolation: boolean;
  /** The renderer: JSON lines or the live view's invalidation. Called after the session ingested. */
  output: UpdateSink;
  /** Stops the watch from outside (Ctrl-C, the q key). */
  signal: AbortSignal;
  backoff?: BackoffPolicy;
  /** -l: only violations of these pods go on. */
  pods?: PodSelection;
}

export interface WatchOutcome {
  reason: StopReason;
  firstViolation?: { node: string; violation: Violation };
}

/**
 * Runs the watch until the duration passes, the first violation (with exitOnViolation), the caller
 * aborts, or no node is left to watch. Resolves once every stream is closed.
 */
export async function runWatch(opts: WatchRunOptions): Promise<WatchOutcome> {
  const stop = new AbortController();
  let outcome: WatchOutcome | undefined;
  const finish = (o: WatchOutcome): void => {
    if (outcome) return;
    outcome = o;
    stop.abort();
  };
  const onExternal = (): void => finish({ reason: 'stopped' });
  if (opts.signal.aborted) onExternal();
  opts.signal.addEventListener('abort', onExternal, { once: true });
  const timer = opts.durationMs !== undefined ? setTimeout(() => finish({ reason: 'duration' }), opts.durationMs) : undefined;

  const sink = (u: WatchUpdate): void => {
    // Streams may still hand over buffered events after the stop: they are not part of this watch.
    if (outcome && u.kind !== 'state') return;
    opts.session.ingest(u);
    opts.output(u);
    if (u.kind === 'violation' && opts.exitOnViolation) finish({ reason: 'violation', firstViolation: { node: u.node, violation: u.violation } });
    if (u.kind === 'state' && u.state.phase === 'failed' && opts.session.board.allDone()) finish({ reason: 'all-failed' });
  };

  try {
    if (opts.targets.length === 0) finish({ reason: 'all-failed' });
    else await watchTargets(opts.targets, opts.request, opts.pods ? selectPods(opts.pods, sink) : sink, { signal: stop.signal, backoff: opts.backoff });
  } finally {
    clearTimeout(timer);
    opts.signal.removeEventListener('abort', onExternal);
  }
  return outcome ?? { reason: 'stopped' };
}
