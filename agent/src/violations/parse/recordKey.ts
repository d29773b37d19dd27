import type { RawRecord } from '../source.js';
import { type AuditKey, readAuditKey, unixMsFromMicros } from '../auditText.js';
import { AUDIT_MICROS, AUDIT_SERIAL, journalText } from './journal.js';
import { seccompStampAt } from './kernelText.js';

/**
 * The audit id of a raw type=1326 record, read without parsing its fields, so that the copies of a
 * record already seen through another carrier are dropped for the price of a scan. It accepts exactly
 * what the full parsers accept up to the audit id and computes the same key; anything else (not a
 * seccomp record, an unreadable id, audit.log lines, which no other carrier duplicates) is undefined
 * and goes through the full parse.
 */
export function recordKey(raw: RawRecord): AuditKey | undefined {
  switch (raw.kind) {
    case 'kmsg':
      return kernelTextKey(raw.text);
    case 'journal':
      return journalKey(raw.entry);
    case 'auditlog':
      return undefined;
  }
}

function kernelTextKey(text: string): AuditKey | undefined {
  const a = seccompStampAt(text);
  return a < 0 ? undefined : readAuditKey(text, a);
}

function journalKey(entry: Record<string, unknown>): AuditKey | undefined {
  const transport = journalText(entry._TRANSPORT);
  if (transport === 'audit') {
    if (journalText(entry._AUDIT_TYPE) !== '1326') return undefined;
    const micros = journalText(entry._SOURCE_REALTIME_TIMESTAMP);
    const serial = journalText(entry._AUDIT_ID);
    if (micros === undefined || !AUDIT_MICROS.test(micros) || serial === undefined || !AUDIT_SERIAL.test(serial)) return undefined;
    return { serial: Number(serial), timeUnixMs: unixMsFromMicros(micros) };
  }
  if (transport !== undefined && transport !== 'kernel') return undefined;
  const message = journalText(entry.MESSAGE);
  return message === undefined ? undefined : kernelTextKey(message);
}
