import { AUDIT_LOG_TYPES } from '../parse/audit-log.js';

/**
 * Kernel-log lines worth handing the pipeline: seccomp records (type=1326) and the kernel's own
 * reports of dropped records. Everything else the kernel logs (driver chatter, OOM reports, ...)
 * is dropped at the source, so the pipeline never pays for parsing it. A plain substring test keeps
 * the hot path cheap; the pipeline still decides what each forwarded line really is.
 */
const MARKERS = ['type=1326', 'audit_lost', 'callbacks suppressed'] as const;

export function mayConcernSeccomp(text: string): boolean {
  for (const marker of MARKERS) {
    if (text.includes(marker)) return true;
  }
  return false;
}

/**
 * auditd names record types: a seccomp record is `type=SECCOMP msg=audit(...)`, or the number from
 * an auditd too old to know the name. Everything else auditd logs (SYSCALL, PATH, USER_*, ...) is
 * not ours.
 */
export function auditLineMayConcernSeccomp(line: string): boolean {
  for (const marker of AUDIT_LOG_TYPES) {
    if (line.includes(marker)) return true;
  }
  return false;
}
