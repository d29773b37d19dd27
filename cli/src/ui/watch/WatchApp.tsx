import { Box, Text, useInput, useStdout } from 'ink';
import { useRef, useState, useSyncExternalStore } from 'react';
import { viewRows } from '../../services/watch/aggregate.js';
import type { AggregateRow } from '../../services/watch/aggregate.js';
import type { WatchSession } from '../../services/watch/session.js';
import { formatHeaderRow, formatRow, tableColumns } from './format.js';
import type { FrameScheduler } from './frame-scheduler.js';
import { Header, headerLines } from './Header.js';
import { Help } from './Help.js';
import { INITIAL_VIEW, onInput } from './view-state.js';
import type { ViewState } from './view-state.js';

export interface WatchAppProps {
  session: WatchSession;
  frames: FrameScheduler;
  /** q or Ctrl-C: the caller stops the streams and unmounts. */
  onQuit(): void;
  /** -o wide: the COMMAND and PID columns too. */
  wide?: boolean;
}

/** Lines the view uses besides the header and the table rows: the table title and a spare. */
const CHROME_LINES = 2;

/** The live view. Redraws only on frames from the scheduler (throttled), and on keys. */
export function WatchApp({ session, frames, onQuit, wide = false }: WatchAppProps) {
  const { stdout } = useStdout();
  // A frame counter as an external store: React subscribes during commit and re-checks it, so a
  // frame emitted between the first render and the subscription is not lost.
  useSyncExternalStore(frames.subscribe, frames.current);
  const [, setKeyPresses] = useState(0);
  // The view state lives in a ref: key presses arriving faster than React re-renders must each see
  // the state the previous one left, not the one of the last render.
  const view = useRef<ViewState>(INITIAL_VIEW);
  const frozen = useRef<AggregateRow[]>([]);
  const quitting = useRef(false);

  useInput((input, key) => {
    const { next, effects } = onInput(view.current, input, key);
    if (effects.includes('quit')) {
      if (!quitting.current) onQuit();
      quitting.current = true;
      return;
    }
    for (const effect of effects) {
      if (effect === 'freeze') frozen.current = session.rows({ sort: next.sort, filterText: '', limit: Infinity });
      if (effect === 'clear') {
        session.clearRows();
        frozen.current = [];
      }
    }
    view.current = next;
    setKeyPresses((n) => n + 1);
  });

  const { sort, filterText, draft, paused, help } = view.current;
  // Ink types its stdout as any writable stream; a terminal's has a size, a pipe's does not.
  const { columns, rows: height } = stdout as Partial<Pick<NodeJS.WriteStream, 'columns' | 'rows'>>;
  const width = columns || 100;
  const summary = session.summary();
  const limit = Math.max(1, (height || 24) - headerLines(summary) - CHROME_LINES - (draft !== undefined ? 1 : 0));
  const rows = paused ? viewRows([...frozen.current], sort, filterText, limit) : session.rows({ sort, filterText, limit });
  const cols = tableColumns(width - 1, Math.max(0, ...rows.map((r) => r.count)), wide);

  return (
    <Box flexDirection="column">
      <Header summary={summary} paused={paused} sort={sort} filterText={filterText} shown={rows.length} />
      {draft !== undefined ? <Text color="yellow">filter: {draft}_ (enter apply, esc cancel)</Text> : null}
      {help ? <Help /> : <Text bold>{formatHeaderRow(cols)}</Text>}
      {help ? null : rows.length === 0 ? (
        <Text dimColor>{summary.rowCount === 0 ? 'waiting for violations…' : 'no rows match'}</Text>
      ) : (
        rows.map((r) => (
          <Text key={r.key} wrap="truncate">
            {formatRow(cols, r, summary.nowMs)}
          </Text>
        ))
      )}
    </Box>
  );
}
