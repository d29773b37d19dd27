import type { WrittenSuggestion } from '../../services/suggest/write.js';
import type { NodeStreamStatus } from '../../services/watch/node-board.js';
import type { WatchOutcome } from '../../services/watch/run.js';
import type { WatchSession } from '../../services/watch/session.js';
import type { UpdateSink } from '../../services/watch/types.js';
import type { WatchReporter } from '../../services/watch/watch.js';
import { jsonLinesSink } from './json-lines.js';
import { outcomeLines, suggestionLines } from './report.js';

interface Writable {
  write(chunk: string): unknown;
}

export interface WatchReporterOptions {
  /** The Ink view (a TTY without -o json); JSON lines otherwise. */
  live: boolean;
  /** -o wide: the live view's extra columns. */
  wide?: boolean;
  /** JSON mode: stats lines too. */
  stats: boolean;
  stdout: Writable;
  stderr: Writable;
}

/** How `watch` shows itself: the live view or JSON lines while it runs, then plain lines on stderr. */
export function watchReporter(opts: WatchReporterOptions): WatchReporter {
  const say = (lines: string[]): void => {
    for (const l of lines) opts.stderr.write(`${l}\n`);
  };
  return {
    async open(
      session: WatchSession,
      quit: () => void,
      missing: readonly { node: string; reason: string }[],
    ): Promise<{ update: UpdateSink; close(): Promise<void> }> {
      if (opts.live) {
        const { startLiveView } = await import('./live.js');
        const view = startLiveView(session, quit, opts.wide === true);
        return { update: () => view.invalidate(), close: () => view.close() };
      }
      say(missing.map((m) => `node ${m.node}: not watched: no agent: ${m.reason}`));
      return { update: jsonLinesSink({ stdout: opts.stdout, stderr: opts.stderr, stats: opts.stats }), close: async () => {} };
    },
    ended: (outcome: WatchOutcome, nodes: NodeStreamStatus[]) => say(outcomeLines(outcome, nodes)),
    suggested: (path: string, written: WrittenSuggestion[] | undefined) =>
      say(written === undefined ? [`--suggest: no violation was seen, ${path} not written`] : suggestionLines(written)),
  };
}
