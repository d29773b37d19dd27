import type { WatchViolationsRequest } from '@kubectl-seccomp/proto';
import type { SeccompProfile } from '@kubectl-seccomp/profiles';
import { UserError } from '../../errors.js';
import type { TargetSet } from '../../targets/types.js';
import { checkSuggestPath, loadBase, writeSuggestions, type WrittenSuggestion } from '../suggest/write.js';
import type { BackoffPolicy } from './backoff.js';
import type { NodeStreamStatus } from './node-board.js';
import type { PodSelection } from './pod-selection.js';
import { runWatch } from './run.js';
import type { WatchOutcome } from './run.js';
import { WatchSession } from './session.js';
import type { UpdateSink } from './types.js';

/** How the watch is shown (the ui layer implements it: ui/watch/reporter.ts). */
export interface WatchReporter {
  /** Starts showing the session; `quit` ends the watch (a key in the live view). */
  open(session: WatchSession, quit: () => void, missing: readonly { node: string; reason: string }[]): Promise<{ update: UpdateSink; close(): Promise<void> }>;
  ended(outcome: WatchOutcome, nodes: NodeStreamStatus[]): void;
  /** undefined: nothing was seen, so nothing was written. */
  suggested(path: string, written: WrittenSuggestion[] | undefined): void;
}

export interface WatchOptions {
  request: WatchViolationsRequest;
  durationMs?: number;
  exitOnViolation: boolean;
  /** --suggest FILE|DIR/ and --base FILE. */
  suggest?: string;
  base?: string;
  reporter: WatchReporter;
  backoff?: BackoffPolicy;
  /** -l: only these pods' violations; listed before the watch starts and again every RELIST_MS. */
  pods?: PodSelection;
}

/** How often -l lists the selected pods again: labels change and pods go (new pods are asked about as they show up). */
const RELIST_MS = 30_000;

/**
 * A node that was given up, or whose stream never started (an agent answers a watch with a stats
 * event at once, so a node that never sent anything was not reached).
 */
export function notWatched(n: NodeStreamStatus): boolean {
  return n.state.phase === 'failed' || !n.streamed;
}

/**
 * Exit status: 1 when --exit-on-violation saw one; 2 when a selected node could not be watched,
 * since "no violation" then cannot be vouched for; 0 otherwise.
 */
export function watchExitCode(outcome: WatchOutcome, nodes: NodeStreamStatus[]): number {
  if (outcome.reason === 'violation') return 1;
  if (outcome.reason === 'all-failed' || nodes.some(notWatched)) return 2;
  return 0;
}

/** The whole watch command after flag parsing: stream, render, then suggest; returns the exit status. */
export async function watchAndReport(set: TargetSet, opts: WatchOptions, signal: AbortSignal): Promise<number> {
  // A broken --base must fail before the user spends ten minutes watching.
  const base: SeccompProfile | undefined = opts.suggest !== undefined && opts.base !== undefined ? await loadBase(opts.base) : undefined;
  if (opts.suggest !== undefined) await checkSuggestPath(opts.suggest);
  const pods = opts.pods;
  if (pods) {
    await pods.refresh().catch((err: unknown) => {
      throw new UserError(`cannot list the pods -l ${pods.selector} selects: ${(err as Error).message}`);
    });
  }
  const nodes = [...set.targets.map((t) => t.node), ...set.missing.map((m) => m.node)];
  const session = new WatchSession({ nodes, filter: opts.request.filter, podSelector: pods?.selector });
  // Nodes without an agent are shown (and counted) like nodes that failed: the watch does not cover them.
  for (const m of set.missing) session.ingest({ kind: 'state', node: m.node, state: { phase: 'failed', error: `no agent: ${m.reason}` } });
  const quit = new AbortController();
  const onAbort = (): void => quit.abort();
  signal.addEventListener('abort', onAbort, { once: true });

  const view = await opts.reporter.open(session, () => quit.abort(), set.missing);
  // A failed re-list keeps the last answer; the next one may succeed.
  const relist = pods ? setInterval(() => void pods.refresh().catch(() => undefined), RELIST_MS) : undefined;
  let outcome: WatchOutcome;
  try {
    outcome = await runWatch({ ...opts, targets: set.targets, session, output: view.update, signal: quit.signal });
  } finally {
    clearInterval(relist);
    signal.removeEventListener('abort', onAbort);
    await view.close();
  }
  const statuses = session.board.list();
  opts.reporter.ended(outcome, statuses);
  if (opts.suggest !== undefined) {
    opts.reporter.suggested(opts.suggest, session.observed.size === 0 ? undefined : await writeSuggestions(opts.suggest, session.observed, base));
  }
  return watchExitCode(outcome, statuses);
}
