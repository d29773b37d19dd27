import type { RecordOutput } from '../output/types.js';
import type { RecordReporter } from '../services/record/run.js';
import { columns } from './table.js';
import { plural } from './words.js';

/** Progress on stderr, one line each: stdout carries only the summary. */
export function recordReporter(stderr: NodeJS.WritableStream): RecordReporter {
  return { progress: (line) => void stderr.write(`${line}\n`) };
}

const STOPPED: Record<RecordOutput['stopped'], string> = {
  duration: '--duration passed',
  idle: 'no new syscall for --until-idle',
  interrupted: 'interrupted',
};

/** What was recorded, per container what its profile adds to the base, and what became of the workload. */
export function renderRecord(out: RecordOutput): string {
  const head = `${out.namespace}/${out.workload}: recorded ${Math.round(out.recordedMs / 1000)}s under ${out.base} in audit mode (${STOPPED[out.stopped]})`;
  const replicas = `replicas seen: ${out.replicas.length}${out.replicas.length ? ` (${out.replicas.join(', ')})` : ''}`;
  const e = out.events;
  const events = `events: ${e.attributed} attributed to its pods, ${e.notAttributed} not attributed (no pod known), ${e.otherPods} from other pods`;
  const rows = out.containers.map((c) => [
    c.container,
    c.added.length ? `+${c.added.length}: ${c.added.join(' ')}` : 'none beyond the base',
    String(c.pods.length),
    c.file,
    c.localhostProfile,
  ]);
  const table = rows.length ? columns(rows, 2, ['CONTAINER', 'SYSCALLS ADDED', 'PODS', 'FILE', 'BOUND']) : '  no container';
  const unnamed = out.containers
    .filter((c) => c.unnamed.length)
    .map((c) => `  ${c.container}: ${plural(c.unnamed.length, 'call')} with no name, not in the profile: ${c.unnamed.join(' ')}`);
  const end = out.applied
    ? `applied: ${out.workload} now runs each container under its recorded profile`
    : out.restored
      ? `restored: ${out.workload}'s seccompProfile fields are as before the recording`
      : '';
  return [head, replicas, events, table, ...unnamed, end].filter((l) => l !== '').join('\n');
}
