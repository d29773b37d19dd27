import type { ViolationSource } from '@kubectl-seccomp/proto';

/** What the node offers for reading seccomp records; gathered by probeNodeLogs. */
export interface NodeLogFacts {
  auditdRunning: boolean;
  /** auditd's log, relative to the host root (auditd.conf `log_file`). */
  auditLogFile: string;
  auditLogPresent: boolean;
  /** A systemd-journald process runs on the host. */
  journaldRunning: boolean;
  /** A journal directory exists under /var/log/journal or /run/log/journal. */
  journalPresent: boolean;
  /** The journalctl this agent would run; undefined when there is none. */
  journalctl: string | undefined;
  /** undefined when /dev/kmsg can be opened for reading, else why not. */
  kmsgError: string | undefined;
  /** Whether the audit multicast group could be joined (seccomp-capture audit); absent: not tried. */
  auditNetlink?: { usable: true } | { usable: false; reason: string };
}

export interface SourceChoice {
  name: ViolationSource;
  used: boolean;
  reason: string;
}

export const ALL_SOURCES: readonly ViolationSource[] = ['kmsg', 'journald', 'auditlog', 'netlink'];

/**
 * Which sources to read, and why. `auto`: with auditd running the kernel hands every audit record
 * to auditd (not to printk, so not to kmsg nor journald's kernel transport): audit.log alone.
 * Otherwise kmsg and journald, each when usable; reading both is fine, the pipeline drops the
 * second copy of a record by its audit id.
 */
export function chooseSources(facts: NodeLogFacts, requested: 'auto' | readonly ViolationSource[]): SourceChoice[] {
  if (requested !== 'auto') {
    return ALL_SOURCES.map((name) =>
      requested.includes(name)
        ? { name, used: true, reason: ['requested', ...caveats(name, facts)].join('; ') }
        : { name, used: false, reason: 'not requested' },
    );
  }
  if (facts.auditNetlink?.usable) {
    // The multicast group gets every record whoever else reads them (auditd, printk): nothing to add.
    const enough = 'the audit multicast group brings every record, unthrottled';
    return ALL_SOURCES.map((name) => {
      if (name === 'netlink') return { name, used: true, reason: 'the audit multicast group can be joined (CAP_AUDIT_READ, initial network namespace)' };
      // The kernel log still counts what the audit backlog dropped, and keeps what came while the agent was down.
      if (name === 'kmsg' && facts.kmsgError === undefined) {
        return { name, used: true, reason: 'beside the audit multicast group: for audit_lost reports and records logged while the agent was down' };
      }
      return { name, used: false, reason: enough };
    });
  }
  const auditLog = `/${facts.auditLogFile}`;
  if (facts.auditdRunning) {
    const owned = `auditd is running: records go to ${auditLog}, not to the kernel log`;
    return [
      { name: 'kmsg', used: false, reason: owned },
      { name: 'journald', used: false, reason: owned },
      {
        name: 'auditlog',
        used: true,
        reason: facts.auditLogPresent ? `auditd is running and writes ${auditLog}` : `auditd is running; ${auditLog} does not exist yet`,
      },
      { name: 'netlink', used: false, reason: netlinkMissing(facts) },
    ];
  }
  return [
    facts.kmsgError === undefined
      ? { name: 'kmsg', used: true, reason: '/dev/kmsg is readable' }
      : { name: 'kmsg', used: false, reason: `/dev/kmsg is not readable: ${facts.kmsgError}` },
    journaldChoice(facts),
    { name: 'auditlog', used: false, reason: 'auditd is not running' },
    { name: 'netlink', used: false, reason: netlinkMissing(facts) },
  ];
}

function journaldChoice(facts: NodeLogFacts): SourceChoice {
  if (!facts.journaldRunning && !facts.journalPresent) {
    return { name: 'journald', used: false, reason: 'no journald on the host (no process, no journal directory)' };
  }
  if (!facts.journalctl) return { name: 'journald', used: false, reason: 'journald is there but no journalctl binary was found' };
  const what = facts.journaldRunning ? 'journald is running' : 'a journal directory exists';
  return { name: 'journald', used: true, reason: `${what}; reading it with ${facts.journalctl}` };
}

function netlinkMissing(facts: NodeLogFacts): string {
  return facts.auditNetlink && !facts.auditNetlink.usable
    ? `the audit multicast group cannot be joined: ${facts.auditNetlink.reason}`
    : 'the audit multicast group was not tried';
}

function caveats(name: ViolationSource, facts: NodeLogFacts): string[] {
  const notes: string[] = [];
  if (name !== 'auditlog' && facts.auditdRunning) notes.push(`auditd is running: seccomp records go to /${facts.auditLogFile} instead`);
  if (name === 'auditlog' && !facts.auditdRunning) notes.push('auditd is not running: nothing new will be written there');
  if (name === 'kmsg' && facts.kmsgError !== undefined) notes.push(`/dev/kmsg is not readable: ${facts.kmsgError}`);
  if (name === 'journald' && !facts.journalctl) notes.push('no journalctl binary was found');
  if (name === 'netlink' && facts.auditNetlink && !facts.auditNetlink.usable) notes.push(netlinkMissing(facts));
  return notes;
}
