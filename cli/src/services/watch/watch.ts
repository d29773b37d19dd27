import type { WatchViolationsRequest } from '@kubectl-seccomp/proto';
import type { SeccompProfile } from '@kubectl-seccomp/profiles';
import type { TargetSet } from '../../targets/types.js';
import { jsonLinesSink } from '../../ui/watch/json-lines.js';
import { outcomeLines, suggestionLines } from '../../ui/watch/report.js';
import { checkSuggestPath, loadBase, writeSuggestions } from '../suggest/write.js';
import type { BackoffPolicy } from './backoff.js';
import type { NodeStatus } from './node-board.js';
import { runWatch } from './run.js';
import type { WatchOutcome } from './run.js';
import { WatchSession } from './session.js';
import type { UpdateSink } from './types.js';

interface Writable {
  write(chunk: string): unknown;
}

export interface WatchOptions {
  request: WatchViolationsRequest;
  durationMs?: number;
  exitOnViolation: boolean;
  /** The Ink view (a TTY without -o json); JSON lines otherwise. */
  live: boolean;
  /** JSON mode: stats lines too. */
  stats: boolean;
  /** --suggest FILE|DIR/ and --base FILE. */
  suggest?: string;
  base?: string;
  stdout: Writable;
  stderr: Writable;
  backoff?: BackoffPolicy;
}

/**
 * A node that was given up, or whose stream never started (an agent answers a watch with a stats
 * event at once, so a node that never sent anything was not reached).
 */
export function notWatched(n: NodeStatus): boolean {
  return n.state.phase === 'failed' || !n.streamed;
}

/**
 * Exit status: 1 when --exit-on-violation saw one; 2 when a selected node could not be watched,
 * since "no violation" then cannot be vouched for; 0 otherwise.
 */
export function watchExitCode(outcome: WatchOutcome, nodes: NodeStatus[]): number {
  if (outcome.reason === 'violation') return 1;
  if (outcome.reason === 'all-failed' || nodes.some(notWatched)) return 2;
  return 0;
}

/** The whole watch command after flag parsing: stream, render, then suggest; returns the exit status. */
export async function watchAndReport(set: TargetSet, opts: WatchOptions, signal: AbortSignal): Promise<number> {
  // A broken --base must fail before the user spends ten minutes watching.
  const base: SeccompProfile | undefined = opts.suggest !== undefined && opts.base !== undefined ? await loadBase(opts.base) : undefined;
  if (opts.suggest !== undefined) await checkSuggestPath(opts.suggest);
  const say = (lines: string[]): void => {
    for (const l of lines) opts.stderr.write(`${l}\n`);
  };
  const session = new WatchSession({ nodes: [...set.targets.map((t) => t.node), ...set.missing.map((m) => m.node)], filter: opts.request.filter });
  // Nodes without an agent are shown (and counted) like nodes that failed: the watch does not cover them.
  for (const m of set.missing) session.ingest({ kind: 'state', node: m.node, state: { phase: 'failed', error: `no agent: ${m.reason}` } });
  const quit = new AbortController();
  const onAbort = (): void => quit.abort();
  signal.addEventListener('abort', onAbort, { once: true });

  let output: UpdateSink;
  let closeView = async (): Promise<void> => {};
  if (opts.live) {
    const { startLiveView } = await import('../../ui/watch/live.js');
    const view = startLiveView(session, () => quit.abort());
    output = () => view.invalidate();
    closeView = () => view.close();
  } else {
    say(set.missing.map((m) => `node ${m.node}: not watched: no agent: ${m.reason}`));
    output = jsonLinesSink({ stdout: opts.stdout, stderr: opts.stderr, stats: opts.stats });
  }

  let outcome: WatchOutcome;
  try {
    outcome = await runWatch({ ...opts, targets: set.targets, session, output, signal: quit.signal });
  } finally {
    signal.removeEventListener('abort', onAbort);
    await closeView();
  }
  const nodes = session.board.list();
  say(outcomeLines(outcome, nodes));
  if (opts.suggest !== undefined) {
    if (session.observed.size === 0) say([`--suggest: no violation was seen, ${opts.suggest} not written`]);
    else say(suggestionLines(await writeSuggestions(opts.suggest, session.observed, base)));
  }
  return watchExitCode(outcome, nodes);
}
