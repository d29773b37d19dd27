import { JOURNAL_FIELDS } from '../parse/journal-entry.js';

export interface JournalctlArgsInput {
  /** Read `<root>/var/log/journal` and `<root>/run/log/journal` (the host's journal seen from a pod). */
  root?: string;
  /** Read this journal directory instead (a test journald, or a journal kept elsewhere). */
  directory?: string;
  /** Resume after this entry (`__CURSOR` of the last entry read). Wins over sinceUnixMs. */
  cursor?: string;
  /** Entries received from this time on (ms since the epoch). */
  sinceUnixMs: number;
  /** What to follow of the kernel transport (default 'all'). */
  kernelTransport?: KernelTransport;
}

/**
 * What the agent asks journald for from its kernel transport (every kernel log line):
 * - 'all': the seccomp records printk let through, and the kernel's reports of what it dropped
 *   (the source pre-filters the rest of the kernel's chatter);
 * - 'warnings': only lines of priority warning or worse. The records are printed at notice
 *   (kauditd_printk_skb's pr_notice), the reports of drops at warning (audit_lost=, printk's
 *   "callbacks suppressed") or error ("printk limit exceeded"): this keeps the reports and leaves
 *   out copies of the records, for when journald's audit transport carries them;
 * - 'none': nothing, when the agent reads /dev/kmsg itself (the same ring, and its reports).
 */
export type KernelTransport = 'all' | 'warnings' | 'none';

/** The audit transport's seccomp records. Fields within a term must all match. */
const AUDIT_RECORDS = ['_TRANSPORT=audit', '_AUDIT_TYPE=1326'] as const;
/** Terms separated by `+` are alternatives; values of one field within a term are too. */
const KERNEL_LINES: Record<KernelTransport, readonly string[]> = {
  all: ['+', '_TRANSPORT=kernel'],
  warnings: ['+', '_TRANSPORT=kernel', 'PRIORITY=0', 'PRIORITY=1', 'PRIORITY=2', 'PRIORITY=3', 'PRIORITY=4'],
  none: [],
};

/** The matches for one choice of kernel transport, after `--lines=all`. */
export function seccompMatches(kernelTransport: KernelTransport): string[] {
  return [...AUDIT_RECORDS, ...KERNEL_LINES[kernelTransport]];
}

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
  args.push('--lines=all', ...seccompMatches(input.kernelTransport ?? 'all'));
  return args;
}
