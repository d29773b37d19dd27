import { JOURNAL_FIELDS } from '../parse/journal.js';

export interface JournalctlArgsInput {
  /** Read `<root>/var/log/journal` and `<root>/run/log/journal` (the host's journal seen from a pod). */
  root?: string;
  /** Read this journal directory instead (a test journald, or a journal kept elsewhere). */
  directory?: string;
  /** Resume after this entry (`__CURSOR` of the last entry read). Wins over sinceUnixMs. */
  cursor?: string;
  /** Entries received from this time on (ms since the epoch). */
  sinceUnixMs: number;
  /**
   * Follow the kernel transport too (default true). Off when the agent reads /dev/kmsg itself:
   * journald's kernel entries are then copies of the same ring, read once more and dropped, while
   * its audit transport still brings what printk's rate limit kept out of the ring.
   */
  kernelTransport?: boolean;
}

/**
 * The seccomp records in the journal: the kernel transport carries every kernel log line (the
 * source pre-filters those), the audit transport carries typed records, of which only 1326 is ours.
 * Terms separated by `+` are alternatives; fields within a term must all match.
 */
export const SECCOMP_MATCHES = ['_TRANSPORT=audit', '_AUDIT_TYPE=1326', '+', '_TRANSPORT=kernel'] as const;
/** Only the audit transport's seccomp records. */
export const SECCOMP_AUDIT_MATCHES = ['_TRANSPORT=audit', '_AUDIT_TYPE=1326'] as const;

/**
 * Arguments for a `journalctl` (systemd >= 246) that follows the seccomp records as JSON lines.
 * Starting is always by time or cursor, never `--lines=0`: an entry stored between our start and
 * journalctl opening the files must not be missed.
 */
export function journalctlArgs(input: JournalctlArgsInput): string[] {
  const args = ['--follow', '--output=json', `--output-fields=${JOURNAL_FIELDS.join(',')}`, '--all', '--no-pager', '--quiet'];
  if (input.directory) args.push(`--directory=${input.directory}`);
  else if (input.root && input.root !== '/') args.push(`--root=${input.root}`);
  if (input.cursor) args.push(`--after-cursor=${input.cursor}`);
  else args.push(`--since=@${(input.sinceUnixMs / 1000).toFixed(3)}`);
  args.push('--lines=all', ...(input.kernelTransport === false ? SECCOMP_AUDIT_MATCHES : SECCOMP_MATCHES));
  return args;
}
