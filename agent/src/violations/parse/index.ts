import type { RawRecord } from '../source.js';
import type { ParseOutcome } from '../record.js';
import { parseAuditLogLine } from './auditLog.js';
import { parseJournalEntry } from './journal.js';
import { parseKernelText } from './kernelText.js';

export { parseAuditLogLine } from './auditLog.js';
export { parseJournalEntry, journalText } from './journal.js';
export { JournalEntry } from './journalEntry.js';
export { parseKernelText } from './kernelText.js';
export { recordKey } from './recordKey.js';

/** Parses whatever a source read, by its carrier. */
export function parseRaw(raw: RawRecord): ParseOutcome {
  switch (raw.kind) {
    case 'kmsg':
      return parseKernelText(raw.text, 'kmsg');
    case 'journal':
      return parseJournalEntry(raw.entry);
    case 'auditlog':
      return parseAuditLogLine(raw.line);
    case 'audit':
      return parseKernelText(raw.text, raw.source);
  }
}
