import { Box, Text, useInput, useStdout } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { SORTS, viewRows } from '../../services/watch/aggregate.js';
import type { AggregateRow, SortOrder } from '../../services/watch/aggregate.js';
import type { WatchSession } from '../../services/watch/session.js';
import { formatHeaderRow, formatRow, tableColumns } from './format.js';
import type { FrameScheduler } from './frame-scheduler.js';
import { Header } from './Header.js';

export interface WatchAppProps {
  session: WatchSession;
  frames: FrameScheduler;
  /** q or Ctrl-C: the caller stops the streams and unmounts. */
  onQuit(): void;
}

/** Lines the view uses besides the table rows: header (2), keys, table title, and a spare. */
const CHROME_LINES = 5;

/** The live view. Redraws only on frames from the scheduler (throttled), and on keys. */
export function WatchApp({ session, frames, onQuit }: WatchAppProps) {
  const { stdout } = useStdout();
  const [, setFrame] = useState(0);
  const [sort, setSort] = useState<SortOrder>('recent');
  const [filterText, setFilterText] = useState('');
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const [paused, setPaused] = useState(false);
  const frozen = useRef<AggregateRow[]>([]);
  const quitting = useRef(false);

  useEffect(() => frames.subscribe(() => setFrame((n) => n + 1)), [frames]);

  useInput((input, key) => {
    if (key.ctrl && input === 'c') return quit();
    if (draft !== undefined) {
      if (key.return) {
        setFilterText(draft);
        setDraft(undefined);
      } else if (key.escape) setDraft(undefined);
      else if (key.backspace || key.delete) setDraft(draft.slice(0, -1));
      else if (input && !key.ctrl && !key.meta) setDraft(draft + input);
      return;
    }
    switch (input) {
      case 'q':
        return quit();
      case 'p':
        if (!paused) frozen.current = session.rows({ sort, filterText: '', limit: Infinity });
        setPaused(!paused);
        return;
      case 's':
        setSort(SORTS[(SORTS.indexOf(sort) + 1) % SORTS.length]!);
        return;
      case 'f':
      case '/':
        setDraft(filterText);
        return;
      case 'c':
        session.clearRows();
        frozen.current = [];
        setFilterText('');
        setFrame((n) => n + 1);
        return;
    }
  });

  function quit(): void {
    if (quitting.current) return;
    quitting.current = true;
    onQuit();
  }

  const width = stdout.columns || 100;
  const limit = Math.max(1, (stdout.rows || 24) - CHROME_LINES - (draft !== undefined ? 1 : 0));
  const summary = session.summary();
  const rows = paused ? viewRows([...frozen.current], sort, filterText, limit) : session.rows({ sort, filterText, limit });
  const cols = tableColumns(width - 1);

  return (
    <Box flexDirection="column">
      <Header summary={summary} paused={paused} sort={sort} filterText={filterText} shown={rows.length} />
      {draft !== undefined ? <Text color="yellow">filter: {draft}_ (enter apply, esc cancel)</Text> : null}
      <Text bold>{formatHeaderRow(cols)}</Text>
      {rows.length === 0 ? (
        <Text dimColor>{summary.total === 0 ? 'waiting for violations…' : 'no rows match'}</Text>
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
