import type { SeccompRecord } from '../record.js';

/**
 * Writes records as the kernel and journald do, for round-trip tests of the parsers: what the kernel
 * prints (kernel/auditsc.c audit_seccomp) must read back as the record it describes.
 */

/** audit_log_untrustedstring: quoted, or bare upper-case hex when it holds a control, a space, a quote or a non-ASCII byte. */
export function encodeAuditString(value: string): string {
  const bytes = Buffer.from(value, 'utf8');
  return bytes.some((b) => b === 0x22 || b < 0x21 || b > 0x7e) ? bytes.toString('hex').toUpperCase() : `"${value}"`;
}

/** The fields after `audit(...): `, in the kernel's order and formats (`arch=%x`, `code=0x%x`); an LSM label (which may hold a space) when given. */
export function formatSeccompFields(r: SeccompRecord, subj?: string): string {
  return [
    `auid=${r.auid} uid=${r.uid} gid=${r.gid} ses=${r.ses}`,
    ...(subj === undefined ? [] : [`subj=${subj}`]),
    `pid=${r.pid} comm=${encodeAuditString(r.comm)} exe=${r.exe === '' ? '(null)' : encodeAuditString(r.exe)} sig=${r.sig}`,
    `arch=${r.auditArch.toString(16)} syscall=${r.syscallNr} compat=${r.compat ? 1 : 0} ip=${r.ip} code=0x${r.code.toString(16)}`,
  ].join(' ');
}

/** `audit(SECONDS.MILLIS:SERIAL): fields`: an audit netlink message, and the body of every other carrier's line. */
export function formatAuditBody(r: SeccompRecord, subj?: string): string {
  return `audit(${r.auditId}): ${formatSeccompFields(r, subj)}`;
}

/** The audit id the kernel prints for a time and serial. */
export function formatAuditId(timeUnixMs: number, serial: number): string {
  return `${Math.floor(timeUnixMs / 1000)}.${String(timeUnixMs % 1000).padStart(3, '0')}:${serial}`;
}

/** journald's audit transport entry of a record (journald-audit.c): the stamp kept as µs and serial. */
export function journalAuditEntry(r: SeccompRecord, subj?: string): Record<string, unknown> {
  return {
    _TRANSPORT: 'audit',
    _AUDIT_TYPE: '1326',
    _AUDIT_ID: String(r.serial),
    _SOURCE_REALTIME_TIMESTAMP: String(BigInt(r.timeUnixMs) * 1000n),
    MESSAGE: `SECCOMP ${formatSeccompFields(r, subj)}`,
  };
}
