import type { RawRecord } from '../source.js';
import { type AuditKey, readAuditKey, unixMsFromMicros } from '../auditText.js';
import { auditTransportId, isKernelTransport, journalText } from './journal.js';
import type { JournalEntry } from './journalEntry.js';
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
    case 'audit':
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

function journalKey(entry: JournalEntry): AuditKey | undefined {
  if (entry.textIs('_TRANSPORT', 'audit')) {
    const id = auditTransportId(entry);
    return id === undefined || 'damaged' in id ? undefined : { serial: Number(id.serial), timeUnixMs: unixMsFromMicros(id.micros) };
  }
  if (!isKernelTransport(entry)) return undefined;
  // The audit id is at the start of MESSAGE, before comm="..." (escaped in JSON): the text up to the
  // first escape usually holds it. A key read from a prefix is the key of the whole text, since
  // kernelTextKey decides on the characters it reads; without one, the whole text is decoded.
  const prefix = entry.stringPrefix('MESSAGE');
  const key = prefix === undefined ? undefined : kernelTextKey(prefix);
  if (key) return key;
  const message = journalText(entry.field('MESSAGE'));
  return message === undefined ? undefined : kernelTextKey(message);
}
