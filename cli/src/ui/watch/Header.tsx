import { Box, Text } from 'ink';
import type { SortOrder } from '../../services/watch/aggregate.js';
import type { WatchSummary } from '../../services/watch/session.js';
import { formatRate } from './format.js';

export interface HeaderProps {
  summary: WatchSummary;
  paused: boolean;
  sort: SortOrder;
  filterText: string;
  shown: number;
}

/** Nodes that are not streaming, with why: "b (reconnecting: connection refused)". */
function troubled(summary: WatchSummary): string {
  return summary.nodes
    .filter((n) => n.state.phase === 'failed' || n.state.phase === 'reconnecting')
    .map((n) => `${n.node} (${n.state.phase}${'error' in n.state ? `: ${n.state.error}` : ''})`)
    .join(', ');
}

export function Header({ summary: s, paused, sort, filterText, shown }: HeaderProps) {
  const bad = troubled(s);
  const capped = s.evicted > 0 ? `, capped at ${s.maxRows}: ${s.evicted} least recent evicted` : '';
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>
          nodes {s.connected}/{s.nodes.length}
        </Text>
        {bad ? <Text color="red"> {bad}</Text> : null}
        {'  '}events/s {formatRate(s.eventsPerSec)} total {s.total} dropped {s.dropped} lost {s.lost}
        {s.unnamed > 0 ? `  unnamed ${s.unnamed}` : ''}
        {s.unplaced > 0 ? `  unplaced ${s.unplaced}` : ''}
        {paused ? (
          <Text color="yellow" bold>
            {' '}
            PAUSED
          </Text>
        ) : null}
      </Text>
      <Text wrap="truncate" dimColor>
        agent filter: {s.filter || 'none'} view: sort {sort}
        {filterText ? `, matching "${filterText}"` : ''} rows {shown}/{s.rowCount}
        {capped}
      </Text>
      <Text dimColor>keys: p pause s sort f or / filter c clear q quit</Text>
    </Box>
  );
}
