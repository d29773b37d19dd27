import { readAuditStamp, splitAuditFields } from '../auditText.js';
import type { ParseOutcome } from '../record.js';
import { recordFromFields } from './fields.js';

const SKIP: ParseOutcome = { kind: 'skip' };
/** auditd names the type when it knows it; older ones write the number. */
const TYPES = ['type=SECCOMP ', 'type=1326 ', 'type=UNKNOWN[1326] '];
/** auditd's `log_format = ENRICHED` appends resolved names after this byte. */
const ENRICHED_SEPARATOR = '\x1d';

/**
 * One /var/log/audit/audit.log line: `[node=NAME ]type=SECCOMP msg=audit(SEC.MS:SERIAL): fields`,
 * possibly followed by 0x1d and auditd's enriched `AUID="unset" ... ARCH=x86_64 SYSCALL=mkdir`.
 * Numbers come from the kernel's part; the enriched SYSCALL= is kept only as a fallback name.
 */
export function parseAuditLogLine(line: string): ParseOutcome {
  let t = -1;
  for (const type of TYPES) {
    t = line.indexOf(type);
    if (t >= 0) break;
  }
  if (t < 0) return SKIP;
  const sep = line.indexOf(ENRICHED_SEPARATOR);
  const raw = sep < 0 ? line : line.slice(0, sep);
  const m = raw.indexOf('msg=audit(', t);
  const stamp = m < 0 ? undefined : readAuditStamp(raw, m + 4);
  if (!stamp) return { kind: 'damaged', reason: 'SECCOMP line without msg=audit(SECONDS.MILLIS:SERIAL):' };
  const outcome = recordFromFields(stamp, splitAuditFields(raw, stamp.end), 'auditlog');
  if (outcome.kind === 'record' && sep >= 0) {
    const hint = splitAuditFields(line, sep + 1).get('SYSCALL');
    if (hint) outcome.record.syscallHint = hint.replace(/^"|"$/g, '');
  }
  return outcome;
}
