import type { ViolationSource } from '@kubectl-seccomp/proto';

/** One type=1326 (SECCOMP) audit record, as the kernel wrote it, whichever carrier brought it. */
export interface SeccompRecord {
  /** "SECONDS.MILLIS:SERIAL" from `audit(...)`: the same for every carrier, so the de-duplication key. */
  auditId: string;
  timeUnixMs: number;
  serial: number;
  pid: number;
  uid: number;
  gid: number;
  /** 4294967295 is "unset". */
  auid: number;
  ses: number;
  comm: string;
  exe: string;
  sig: number;
  /** AUDIT_ARCH_* value, e.g. 0xc000003e. */
  auditArch: number;
  /** As the kernel logged it: x32 calls keep their 0x40000000 bit. */
  syscallNr: number;
  compat: boolean;
  /** The user instruction pointer, hex as logged ("0x47b567"); kept as text, it can exceed 2^53. */
  ip: string;
  /** SECCOMP_RET_* value. */
  code: number;
  source: ViolationSource;
  /** Syscall name auditd already resolved (its enriched `SYSCALL=` part), a fallback for unknown numbers. */
  syscallHint?: string;
}

/** When and in what order the kernel logged a record: `audit(SECONDS.MILLIS:SERIAL)`, the same on every carrier. */
export interface AuditStamp {
  /** "SECONDS.MILLIS:SERIAL", as the kernel prints it. */
  auditId: string;
  timeUnixMs: number;
  serial: number;
}

/** The de-duplication key of an audit stamp: its numbers, so that every carrier's spelling of one id agrees. */
export function auditKey(stamp: Pick<AuditStamp, 'serial' | 'timeUnixMs'>): string {
  return `${stamp.timeUnixMs}:${stamp.serial}`;
}

/** A seccomp record's fields, read, or why they could not be. */
export type RecordOutcome = { kind: 'record'; record: SeccompRecord } | { kind: 'damaged'; reason: string };

/** What a raw line or entry is that is no seccomp record. */
export type NotARecord =
  /** Not a seccomp record, nor a loss report: ignored. */
  | { kind: 'skip' }
  /** Claims to be a seccomp record but its audit id cannot be read. */
  | { kind: 'damaged'; reason: string }
  /** The kernel says this many records were dropped (`N callbacks suppressed`). */
  | { kind: 'lost'; count: number }
  /** The kernel's cumulative loss counter (`audit_lost=N`): only its increase is a loss. */
  | { kind: 'lost-total'; total: number };

/**
 * A raw line or entry read up to its audit id. The fields of a seccomp record are read by record(),
 * so that a copy already delivered through another carrier is dropped without reading them.
 */
export type Reading = NotARecord | { kind: 'seccomp'; stamp: AuditStamp; record(): RecordOutcome };

/** A raw line or entry read whole. */
export type ParseOutcome = NotARecord | RecordOutcome;

export const UNSET_ID = 4294967295;
