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

/** What one raw line or entry turned out to be. */
export type ParseOutcome =
  | { kind: 'record'; record: SeccompRecord }
  /** Not a seccomp record, nor a loss report: ignored. */
  | { kind: 'skip' }
  /** Claims to be a seccomp record but could not be read. */
  | { kind: 'damaged'; reason: string }
  /** The kernel says this many records were dropped (`N callbacks suppressed`). */
  | { kind: 'lost'; count: number }
  /** The kernel's cumulative loss counter (`audit_lost=N`): only its increase is a loss. */
  | { kind: 'lost-total'; total: number };

export const UNSET_ID = 4294967295;
