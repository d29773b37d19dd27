import type { CheckResult } from '@kubectl-seccomp/proto';
import { JOURNAL_DIRS } from '../host/logs.js';
import type { NodeFacts } from './facts.js';
import { pass, skip, warn } from './result.js';

const ID = 'log.journald';

export function checkLogJournald(facts: NodeFacts): CheckResult {
  const { journalDirs, probe } = facts.logs;
  if (!probe.journaldRunning) return skip(ID, 'systemd-journald is not running');
  const readable = journalDirs.filter((d) => !d.error);
  if (readable.length === 0) {
    const unreadable = journalDirs.map((d) => `${d.path} (${d.error})`).join(', ');
    return warn(
      ID,
      'journald is running but its journal is not readable',
      unreadable ? `Not readable: ${unreadable}.` : `Neither ${JOURNAL_DIRS.join(' nor ')} is under the host root.`,
      `Mount ${JOURNAL_DIRS.join(' and ')} read-only under the agent's host root.`,
    );
  }
  const where = readable.map((d) => d.path).join(', ');
  if (!probe.journalctl) {
    return warn(
      ID,
      `journald's journal is readable at ${where}, but the agent has no journalctl to read it with`,
      'The journald source runs journalctl; without it the journal is not used.',
      'Use an agent image that ships journalctl (systemd), or rely on /dev/kmsg.',
    );
  }
  return pass(ID, `journald is running, its journal is readable at ${where}`, `Read with ${probe.journalctl}.`);
}
