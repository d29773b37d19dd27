import type { ViolationSource } from '@kubectl-seccomp/proto';
import type { Reading } from '../record.js';
import { readAuditBody } from './audit-body.js';

const SKIP: Reading = { kind: 'skip' };
const SECCOMP_TYPE = 'type=1326';
// At most 10 digits: a count, not an arbitrary number a damaged line might spell.
const SUPPRESSED = /kauditd_printk_skb: (\d{1,10}) callbacks suppressed/;
const AUDIT_LOST = /audit_lost=(\d{1,10})(?!\d)/;

/**
 * A kernel log line as kmsg, dmesg or journald's kernel transport carry it:
 * `audit: type=1326 audit(1795369472.866:2): auid=... code=0x7ffc0000`. The `audit: ` prefix and
 * anything before `type=` (a dmesg timestamp) are optional. Other lines are loss reports or skipped.
 */
export function readKernelText(text: string, source: ViolationSource): Reading {
  const t = text.indexOf(SECCOMP_TYPE);
  const end = t + SECCOMP_TYPE.length;
  // type=13260 is another record type.
  if (t < 0 || (end < text.length && text[end] !== ' ')) return lossOrSkip(text);
  const a = text.indexOf('audit(', end);
  return a < 0 ? { kind: 'damaged', reason: 'type=1326 without audit(SECONDS.MILLIS:SERIAL):' } : readAuditBody(text, source, a);
}

/** The kernel's own reports of records it dropped; any other line is skipped. */
function lossOrSkip(text: string): Reading {
  const suppressed = SUPPRESSED.exec(text);
  if (suppressed) return { kind: 'lost', count: Number(suppressed[1]) };
  const lost = AUDIT_LOST.exec(text);
  if (lost) return { kind: 'lost-total', total: Number(lost[1]) };
  return SKIP;
}
