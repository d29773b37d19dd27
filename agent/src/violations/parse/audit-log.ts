import type { Reading } from '../record.js';
import { readAuditBody } from './audit-body.js';
import { readAuditFields } from './audit-text.js';

const SKIP: Reading = { kind: 'skip' };
/** auditd names the type when it knows it; older ones write the number. */
export const AUDIT_LOG_TYPES = ['type=SECCOMP ', 'type=1326 ', 'type=UNKNOWN[1326] '] as const;
/** auditd's `log_format = ENRICHED` appends resolved names after this byte. */
const ENRICHED_SEPARATOR = '\x1d';

/**
 * One /var/log/audit/audit.log line: `[node=NAME ]type=SECCOMP msg=audit(SEC.MS:SERIAL): fields`,
 * possibly followed by 0x1d and auditd's enriched `AUID="unset" ... ARCH=x86_64 SYSCALL=mkdir`.
 * Numbers come from the kernel's part; the enriched SYSCALL= is kept only as a fallback name.
 */
export function readAuditLogLine(line: string): Reading {
  const t = AUDIT_LOG_TYPES.map((type) => line.indexOf(type)).find((at) => at >= 0);
  if (t === undefined) return SKIP;
  const sep = line.indexOf(ENRICHED_SEPARATOR);
  const kernelPart = sep < 0 ? line : line.slice(0, sep);
  const m = kernelPart.indexOf('msg=audit(', t);
  if (m < 0) return { kind: 'damaged', reason: 'SECCOMP line without msg=audit(SECONDS.MILLIS:SERIAL):' };
  const body = readAuditBody(kernelPart, 'auditlog', m + 'msg='.length);
  if (body.kind !== 'seccomp' || sep < 0) return body;
  return {
    ...body,
    record: () => {
      const outcome = body.record();
      const hint = readAuditFields(line, sep + 1).get('SYSCALL');
      if (outcome.kind === 'record' && hint) outcome.record.syscallHint = hint.replace(/^"|"$/g, '');
      return outcome;
    },
  };
}
