import { Box, Text } from 'ink';
import type { SortOrder } from '../../services/watch/aggregate.js';
import type { NodeStreamStatus } from '../../services/watch/node-board.js';
import type { WatchSummary } from '../../services/watch/session.js';
import { terminalText } from '../terminal-text.js';
import { ago, formatRate } from './format.js';
import { DROPPED, explainLoss } from './losses.js';

export interface HeaderProps {
  summary: WatchSummary;
  paused: boolean;
  sort: SortOrder;
  filterText: string;
  shown: number;
}

/** "b down 2m: connection refused" for each node that is not streaming, with how long and why. */
export function downNodes(s: WatchSummary): string[] {
  return s.nodes.filter((n) => n.downSinceMs !== undefined).map((n) => `${n.node} down ${since(s.nowMs, n)}: ${n.lastError}`);
}

/** "0s", "12s", "2m": ago() without its "ago". */
const since = (nowMs: number, n: NodeStreamStatus): string => ago(nowMs, n.downSinceMs!).replace(/ ago$/, '').replace(/^now$/, '0s');

/** "lost 11 — kernel rate limit (doctor: log.rate-limit), 2 — agent restart": by reason, largest first. */
export function lossLine(s: WatchSummary): string | undefined {
  const byReason = new Map<string, number>();
  for (const n of s.nodes) for (const l of n.losses) byReason.set(l.reason, (byReason.get(l.reason) ?? 0) + l.count);
  const parts = [...byReason].filter(([, count]) => count > 0).sort((a, b) => b[1] - a[1]);
  if (parts.length === 0 && s.dropped === 0) return undefined;
  const lost = parts.map(([reason, count], i) => `${i === 0 ? 'lost ' : ''}${count} — ${explainLoss(reason)}`).join(', ');
  const dropped = s.dropped > 0 ? `dropped ${s.dropped} — ${DROPPED}` : '';
  return [lost, dropped].filter(Boolean).join('; ');
}

/** The lines the header takes (the view sizes the table with it). */
export const headerLines = (s: WatchSummary): number => 3 + (lossLine(s) ? 1 : 0) + (downNodes(s).length > 0 ? 1 : 0);

/** Every line is cut at the terminal's width, never wrapped: the table below keeps its place. */
export function Header({ summary: s, paused, sort, filterText, shown }: HeaderProps) {
  const down = downNodes(s);
  const losses = lossLine(s);
  const capped = s.evicted > 0 ? `, capped at ${s.maxRows}: ${s.evicted} least recent evicted` : '';
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>
          nodes {s.connected}/{s.nodes.length}
        </Text>
        {paused ? (
          <Text color="yellow" bold>
            {'  '}PAUSED
          </Text>
        ) : null}
        {'  '}events/s {formatRate(s.eventsPerSec)}
        {'  '}total {s.total}
        {'  '}dropped {s.dropped}
        {'  '}lost {s.lost}
        {s.unnamed > 0 ? `  unnamed ${s.unnamed}` : ''}
        {s.unplaced > 0 ? `  unplaced ${s.unplaced}` : ''}
      </Text>
      {down.length > 0 ? (
        <Text wrap="truncate" color="red">
          {terminalText(down.join('; '))}
        </Text>
      ) : null}
      {losses ? (
        <Text wrap="truncate" color="yellow">
          {losses}
        </Text>
      ) : null}
      <Text wrap="truncate" dimColor>
        agent filter: {s.filter || 'none'} view: sort {sort}
        {filterText ? `, matching "${filterText}"` : ''} rows {shown}/{s.rowCount}
        {capped}
      </Text>
      <Text wrap="truncate" dimColor>
        {'keys: ? help  p pause  s sort  f / filter  esc unfilter  c clear  q quit'}
      </Text>
    </Box>
  );
}
