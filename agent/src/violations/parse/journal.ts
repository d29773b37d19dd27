import { auditIdFromMicros, splitAuditFields } from '../auditText.js';
import type { ParseOutcome } from '../record.js';
import { recordFromFields } from './fields.js';
import { type JournalEntry, journalText } from './journalEntry.js';
import { parseKernelText } from './kernelText.js';
import { quickRecord } from './quickRecord.js';

export { journalText };

const SKIP: ParseOutcome = { kind: 'skip' };
const SECCOMP_PREFIX = 'SECCOMP ';
/** What the audit transport's `_SOURCE_REALTIME_TIMESTAMP` (µs) and `_AUDIT_ID` must look like. */
const AUDIT_MICROS = /^\d{1,20}$/;
const AUDIT_SERIAL = /^\d{1,12}$/;

/**
 * journald's native fields for an audit record (journald-audit.c): used where MESSAGE lacks a field.
 * comm and exe arrive decoded there, so they are re-quoted to be read as they are.
 */
const FALLBACKS: ReadonlyArray<readonly [string, string, boolean]> = [
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
 * Every journal field the pipeline reads (the parser here, and the loss counting's
 * _SOURCE_MONOTONIC_TIMESTAMP): journalctl is asked for these only, so the JSON each copy of a
 * record costs to parse stays small. journalctl adds __CURSOR and its own time stamps regardless.
 */
export const JOURNAL_FIELDS: readonly string[] = [
  'MESSAGE',
  '_TRANSPORT',
  '_AUDIT_TYPE',
  '_AUDIT_ID',
  '_SOURCE_REALTIME_TIMESTAMP',
  '_SOURCE_MONOTONIC_TIMESTAMP',
  ...FALLBACKS.map(([, field]) => field),
];

/**
 * One `journalctl -o json` entry. `_TRANSPORT=kernel` carries the kmsg text in MESSAGE.
 * `_TRANSPORT=audit` carries `SECCOMP <fields>` in MESSAGE, and journald keeps the audit stamp only as
 * `_SOURCE_REALTIME_TIMESTAMP` (SECONDS*1e6 + MILLIS*1e3) and `_AUDIT_ID` (the serial), from which
 * the same audit id is rebuilt so that both transports de-duplicate.
 */
export function parseJournalEntry(entry: JournalEntry): ParseOutcome {
  if (entry.textIs('_TRANSPORT', 'audit')) return parseAuditTransport(entry);
  if (!isKernelTransport(entry)) return SKIP;
  const message = journalText(entry.field('MESSAGE'));
  return message === undefined ? SKIP : parseKernelText(message, 'journald');
}

/** An entry that is not of the audit transport is read as kernel text when it says kernel or nothing. */
export function isKernelTransport(entry: JournalEntry): boolean {
  return entry.textIs('_TRANSPORT', 'kernel') || journalText(entry.field('_TRANSPORT')) === undefined;
}

/** What journald keeps of a seccomp record's audit id, or why it cannot be read. */
export type AuditTransportId = { micros: string; serial: string } | { damaged: string };

/**
 * The audit id fields of an audit-transport entry; undefined when it is not a seccomp record. The one
 * reading of them, for the parser and for recordKey, which must accept the same entries.
 */
export function auditTransportId(entry: JournalEntry): AuditTransportId | undefined {
  if (!entry.textIs('_AUDIT_TYPE', '1326')) return undefined;
  const micros = journalText(entry.field('_SOURCE_REALTIME_TIMESTAMP'));
  if (micros === undefined || !AUDIT_MICROS.test(micros)) return { damaged: 'audit entry without _SOURCE_REALTIME_TIMESTAMP' };
  const serial = journalText(entry.field('_AUDIT_ID'));
  if (serial === undefined || !AUDIT_SERIAL.test(serial)) return { damaged: 'audit entry without _AUDIT_ID' };
  return { micros, serial };
}

function parseAuditTransport(entry: JournalEntry): ParseOutcome {
  const id = auditTransportId(entry);
  if (!id) return SKIP;
  if ('damaged' in id) return { kind: 'damaged', reason: id.damaged };
  const { auditId, timeUnixMs } = auditIdFromMicros(BigInt(id.micros), id.serial);
  const stamp = { auditId, timeUnixMs, serial: Number(id.serial) };
  const message = journalText(entry.field('MESSAGE')) ?? '';
  // MESSAGE is `SECCOMP ` and the kernel's fields: read in one pass when it has them all.
  const quick = message.startsWith(SECCOMP_PREFIX) ? quickRecord(stamp, message, SECCOMP_PREFIX.length, 'journald', true) : undefined;
  if (quick) return quick;
  const fields = splitAuditFields(message);
  for (const [key, journalField, quote] of FALLBACKS) {
    if (fields.has(key)) continue;
    const value = journalText(entry.field(journalField));
    if (value !== undefined) fields.set(key, quote ? `"${value}"` : value);
  }
  return recordFromFields(stamp, fields, 'journald');
}
