import type { ViolationSource } from '@kubectl-seccomp/proto';
import type { Reading } from '../record.js';
import { readAuditFields, readAuditStamp } from './audit-text.js';
import { seccompRecord } from './seccomp-record.js';

/**
 * A seccomp record's text from its stamp on: `audit(SEC.MS:SERIAL): key=value ...`. kmsg, journald's
 * kernel transport and audit.log carry it after a prefix; an audit netlink message is exactly this.
 */
export function readAuditBody(text: string, source: ViolationSource, from = 0): Reading {
  const stamp = readAuditStamp(text, from);
  if (!stamp) return { kind: 'damaged', reason: 'seccomp record without audit(SECONDS.MILLIS:SERIAL):' };
  const { end, ...id } = stamp;
  return { kind: 'seccomp', stamp: id, record: () => seccompRecord(id, readAuditFields(text, end), source) };
}
