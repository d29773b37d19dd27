import type { ViolationSource } from '@kubectl-seccomp/proto';
import { readAuditStamp, splitAuditFields } from '../auditText.js';
import type { ParseOutcome } from '../record.js';
import { recordFromFields } from './fields.js';
import { quickRecord } from './quickRecord.js';

const SKIP: ParseOutcome = { kind: 'skip' };
const SUPPRESSED = /kauditd_printk_skb: (\d+) callbacks suppressed/;
const AUDIT_LOST = /audit_lost=(\d+)/;

/**
 * A kernel log line as kmsg, dmesg or journald's kernel transport carry it:
 * `audit: type=1326 audit(1795369472.866:2): auid=... code=0x7ffc0000`. The `audit: ` prefix and
 * anything before `type=` (a dmesg timestamp) are optional.
 */
export function parseKernelText(text: string, source: ViolationSource): ParseOutcome {
  const a = seccompStampAt(text);
  if (a === NOT_SECCOMP) return lossOrSkip(text);
  const stamp = a < 0 ? undefined : readAuditStamp(text, a);
  if (!stamp) return { kind: 'damaged', reason: 'type=1326 without audit(SECONDS.MILLIS:SERIAL):' };
  return quickRecord(stamp, text, stamp.end, source) ?? recordFromFields(stamp, splitAuditFields(text, stamp.end), source);
}

const NOT_SECCOMP = -2;

/**
 * Where `audit(` follows `type=1326 ` in a kernel log line: -1 when a type=1326 line has none,
 * NOT_SECCOMP (-2) when the line is no type=1326 record. Shared with the de-duplication key so that
 * both read the same lines the same way.
 */
export function seccompStampAt(text: string): number {
  const t = text.indexOf('type=1326');
  if (t < 0) return NOT_SECCOMP;
  const after = text.charCodeAt(t + 9);
  if (after !== 0x20 && !Number.isNaN(after)) return NOT_SECCOMP;
  return text.indexOf('audit(', t + 9);
}

/** The kernel's own reports of records it dropped; any other line is skipped. */
function lossOrSkip(text: string): ParseOutcome {
  if (text.includes('kauditd_printk_skb:')) {
    const m = SUPPRESSED.exec(text);
    if (m) return { kind: 'lost', count: Number(m[1]) };
  } else if (text.includes('audit_lost=')) {
    const m = AUDIT_LOST.exec(text);
    if (m) return { kind: 'lost-total', total: Number(m[1]) };
  }
  return SKIP;
}
