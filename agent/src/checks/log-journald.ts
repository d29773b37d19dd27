import type { CheckResult } from '@kubectl-seccomp/proto';
import { JOURNAL_DIRS } from '../host/logs.js';
import type { NodeFacts } from './facts.js';
import { pass, skip, warn } from './result.js';

const ID = 'log.journald';

export function checkLogJournald(facts: NodeFacts): CheckResult {
  const { journaldRunning, journalDirs } = facts.logs;
  if (!journaldRunning) return skip(ID, 'systemd-journald is not running');
  const readable = journalDirs.filter((d) => !d.error);
  if (readable.length > 0) return pass(ID, `journald is running, its journal is readable at ${readable.map((d) => d.path).join(', ')}`);
  const unreadable = journalDirs.map((d) => `${d.path} (${d.error})`).join(', ');
  return warn(
    ID,
    'journald is running but its journal is not readable',
    unreadable ? `Not readable: ${unreadable}.` : `Neither ${JOURNAL_DIRS.join(' nor ')} is under the host root.`,
    `Mount ${JOURNAL_DIRS.join(' and ')} read-only under the agent's host root.`,
  );
}
