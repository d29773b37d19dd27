// Decoding of the kernel's SECCOMP_RET_* values (the `code=` field of a type=1326 audit record).
import type { Action } from './model.js';

/** What a filter's return value means. */
export interface DecodedCode {
  /**
   * The profile action. A value whose action bits (code & 0xffff0000) are no SECCOMP_RET_* the
   * kernel defines is reported as 'SCMP_ACT_KILL_PROCESS' with `unknown: true`, because that is what
   * the kernel does with it.
   */
  action: Action;
  /** SCMP_ACT_ERRNO only: the errno the syscall returned (low 16 bits). */
  errno?: number;
  /** SECCOMP_RET_DATA, the low 16 bits: errno for ERRNO, si_errno for TRAP, the tracer's message for TRACE. */
  data: number;
  /** Set when the action bits are not a known SECCOMP_RET_* value. */
  unknown?: true;
}

const SECCOMP_RET_ACTION_FULL = 0xffff0000;
const SECCOMP_RET_DATA = 0x0000ffff;

/** SECCOMP_RET_* action values (include/uapi/linux/seccomp.h). */
const ACTION_BY_RET: ReadonlyMap<number, Action> = new Map<number, Action>([
  [0x80000000, 'SCMP_ACT_KILL_PROCESS'],
  [0x00000000, 'SCMP_ACT_KILL_THREAD'],
  [0x00030000, 'SCMP_ACT_TRAP'],
  [0x00050000, 'SCMP_ACT_ERRNO'],
  [0x7fc00000, 'SCMP_ACT_NOTIFY'],
  [0x7ff00000, 'SCMP_ACT_TRACE'],
  [0x7ffc0000, 'SCMP_ACT_LOG'],
  [0x7fff0000, 'SCMP_ACT_ALLOW'],
]);

/** Decodes a SECCOMP_RET_* value, given as an unsigned or signed 32-bit number. */
export function actionFromCode(code: number): DecodedCode {
  const ret = code >>> 0;
  const data = ret & SECCOMP_RET_DATA;
  const action = ACTION_BY_RET.get((ret & SECCOMP_RET_ACTION_FULL) >>> 0);
  if (!action) return { action: 'SCMP_ACT_KILL_PROCESS', data, unknown: true };
  return action === 'SCMP_ACT_ERRNO' ? { action, errno: data, data } : { action, data };
}
