import type { AuditStamp, Reading, RecordOutcome } from '../record.js';
import { readAuditFields, stampFromMicros } from './audit-text.js';
import { readKernelText } from './kernel-text.js';
import { seccompRecord } from './seccomp-record.js';

/** One line of `journalctl -o json`. */
export class JournalEntry {
  /** `_TRANSPORT` as text, read once: every reader of an entry first asks where it came from. */
  readonly transport: string | undefined;

  private constructor(
    /** The line as journalctl printed it. */
    readonly text: string,
    private readonly fields: Readonly<Record<string, unknown>>,
  ) {
    this.transport = this.string('_TRANSPORT');
  }

  /** undefined when the line is not a JSON object. */
  static parse(line: string): JournalEntry | undefined {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return new JournalEntry(line, value as Record<string, unknown>);
  }

  /** The field's value as journalctl printed it; undefined when absent. */
  field(name: string): unknown {
    return Object.hasOwn(this.fields, name) ? this.fields[name] : undefined;
  }

  /** The field as text (see journalText). */
  string(name: string): string | undefined {
    return journalText(this.field(name));
  }
}

/**
 * A field as `journalctl -o json` prints it: a string; an array of byte values when it is not valid
 * UTF-8 or not printable; an array of values when the field repeats (the first is taken); null when
 * it is too large to print.
 */
export function journalText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value) || value.length === 0) return undefined;
  if (typeof value[0] === 'number') {
    return value.every((b) => Number.isInteger(b) && b >= 0 && b <= 255) ? Buffer.from(value as number[]).toString('utf8') : undefined;
  }
  return journalText(value[0]);
}

/**
 * journald's native fields for an audit record (journald-audit.c), read where MESSAGE lacks the
 * record's own field. comm and exe arrive decoded there, so they are quoted to be read as they are.
 */
const NATIVE_FIELDS: ReadonlyArray<readonly [string, string, boolean]> = [
  ['pid', '_PID', false],
  ['uid', '_UID', false],
  ['gid', '_GID', false],
  ['auid', '_AUDIT_LOGINUID', false],
  ['ses', '_AUDIT_SESSION', false],
  ['comm', '_COMM', true],
  ['exe', '_EXE', true],
  ['sig', '_AUDIT_FIELD_SIG', false],
  ['arch', '_AUDIT_FIELD_ARCH', false],
  ['syscall', '_AUDIT_FIELD_SYSCALL', false],
  ['compat', '_AUDIT_FIELD_COMPAT', false],
  ['ip', '_AUDIT_FIELD_IP', false],
  ['code', '_AUDIT_FIELD_CODE', false],
];

/**
 * Every journal field the pipeline reads (here, and the loss counting's _SOURCE_MONOTONIC_TIMESTAMP):
 * journalctl is asked for these only. It adds __CURSOR and its own time stamps regardless.
 */
export const JOURNAL_FIELDS: readonly string[] = [
  'MESSAGE',
  '_TRANSPORT',
  '_AUDIT_TYPE',
  '_AUDIT_ID',
  '_SOURCE_REALTIME_TIMESTAMP',
  '_SOURCE_MONOTONIC_TIMESTAMP',
  ...NATIVE_FIELDS.map(([, field]) => field),
];

const SKIP: Reading = { kind: 'skip' };
/** What the audit transport's `_SOURCE_REALTIME_TIMESTAMP` (µs) and `_AUDIT_ID` (serial) must look like. */
const MICROS = /^\d{1,20}$/;
const SERIAL = /^\d{1,12}$/;

/**
 * A journald entry. `_TRANSPORT=kernel` (or none) carries the kmsg text in MESSAGE. `_TRANSPORT=audit`
 * carries `SECCOMP <fields>` in MESSAGE and keeps the audit stamp only as `_SOURCE_REALTIME_TIMESTAMP`
 * and `_AUDIT_ID`, from which the kernel's stamp is rebuilt so that both transports de-duplicate.
 */
export function readJournalEntry(entry: JournalEntry): Reading {
  switch (entry.transport) {
    case 'audit':
      return readAuditTransport(entry);
    case 'kernel':
    case undefined: {
      const message = entry.string('MESSAGE');
      return message === undefined ? SKIP : readKernelText(message, 'journald');
    }
    default:
      return SKIP;
  }
}

function readAuditTransport(entry: JournalEntry): Reading {
  if (entry.string('_AUDIT_TYPE') !== '1326') return SKIP;
  const micros = entry.string('_SOURCE_REALTIME_TIMESTAMP');
  if (micros === undefined || !MICROS.test(micros)) return { kind: 'damaged', reason: 'audit entry without _SOURCE_REALTIME_TIMESTAMP' };
  const serial = entry.string('_AUDIT_ID');
  if (serial === undefined || !SERIAL.test(serial)) return { kind: 'damaged', reason: 'audit entry without _AUDIT_ID' };
  const stamp = stampFromMicros(BigInt(micros), Number(serial));
  return { kind: 'seccomp', stamp, record: () => auditTransportRecord(entry, stamp) };
}

function auditTransportRecord(entry: JournalEntry, stamp: AuditStamp): RecordOutcome {
  const fields = readAuditFields(entry.string('MESSAGE') ?? '');
  for (const [key, native, quote] of NATIVE_FIELDS) {
    if (fields.has(key)) continue;
    const value = entry.string(native);
    if (value !== undefined) fields.set(key, quote ? `"${value}"` : value);
  }
  return seccompRecord(stamp, fields, 'journald');
}
