import type { ParseOutcome, Reading } from '../record.js';
import type { RawRecord } from '../source.js';
import { readAuditLogLine } from './audit-log.js';
import { readJournalEntry } from './journal-entry.js';
import { readKernelText } from './kernel-text.js';

export { readAuditBody } from './audit-body.js';
export { readAuditLogLine } from './audit-log.js';
export { JOURNAL_FIELDS, JournalEntry, journalText, readJournalEntry } from './journal-entry.js';
export { readKernelText } from './kernel-text.js';

/** Reads whatever a source read, by its carrier, up to its audit id. */
export function readRaw(raw: RawRecord): Reading {
  switch (raw.kind) {
    case 'kmsg':
      return readKernelText(raw.text, 'kmsg');
    case 'journal':
      return readJournalEntry(raw.entry);
    case 'auditlog':
      return readAuditLogLine(raw.line);
    case 'audit':
      return readKernelText(raw.text, raw.source);
  }
}

/** Reads a raw record whole, fields included. */
export function parseRaw(raw: RawRecord): ParseOutcome {
  const reading = readRaw(raw);
  return reading.kind === 'seccomp' ? reading.record() : reading;
}
