import { Box, Text } from 'ink';

const KEYS: [string, string][] = [
  ['?', 'this help (? or esc: back to the table)'],
  ['p', 'pause the table (the header keeps counting); p again resumes'],
  ['s', 'sort: most recent, highest count, name'],
  ['f or /', 'filter rows by text in any column (enter applies, esc cancels)'],
  ['esc', 'clear the filter'],
  ['c', 'clear the rows (the filter, totals and --suggest keep what was seen)'],
  ['q, Ctrl-C', 'quit'],
];

const COLUMNS: [string, string][] = [
  ['NODE', 'the node whose agent saw it'],
  ['NAMESPACE/POD', 'the pod; "container ID pod UID" (short) when names are unknown'],
  ['CONTAINER', 'the container name'],
  ['SYSCALL', 'the call the profile acted on'],
  ['ACTION', 'what the profile did: log, errno, kill_process, ...'],
  ['COUNT', 'violations with these columns since the watch began (or c)'],
  ['LAST SEEN', 'when the last one came'],
  ['lost N — why', 'records the node lost, by reason (the doctor check that explains it)'],
  ['dropped N', 'records this client was too slow to take'],
  ['X down 2m: why', 'a node not streaming, for how long, and why'],
];

/** The legend: keys and what the columns and header counters mean. */
export function Help() {
  const pad = (rows: [string, string][]) => Math.max(...rows.map(([k]) => k.length)) + 2;
  const section = (title: string, rows: [string, string][]) => (
    <Box flexDirection="column" marginBottom={1}>
      <Text bold>{title}</Text>
      {rows.map(([k, v]) => (
        <Text key={k} wrap="truncate">
          {'  '}
          {k.padEnd(pad(rows))}
          {v}
        </Text>
      ))}
    </Box>
  );
  return (
    <Box flexDirection="column">
      {section('Keys', KEYS)}
      {section('Columns and header', COLUMNS)}
    </Box>
  );
}
