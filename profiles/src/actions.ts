import type { Action } from './model.js';

/** Actions that stop the syscall from running. */
export const BLOCKING_ACTIONS: ReadonlySet<Action> = new Set<Action>([
  'SCMP_ACT_KILL',
  'SCMP_ACT_KILL_PROCESS',
  'SCMP_ACT_KILL_THREAD',
  'SCMP_ACT_TRAP',
  'SCMP_ACT_ERRNO',
  'SCMP_ACT_TRACE',
  'SCMP_ACT_NOTIFY',
]);

/** Blocking actions whose hits the kernel logs only when the filter has SECCOMP_FILTER_FLAG_LOG. */
export const SILENT_UNLESS_FLAGGED: ReadonlySet<Action> = new Set<Action>(['SCMP_ACT_ERRNO', 'SCMP_ACT_TRAP', 'SCMP_ACT_TRACE', 'SCMP_ACT_NOTIFY']);

/** Actions that carry an errnoRet (runc passes it to ERRNO and TRACE, ignores it elsewhere). */
export const ERRNO_ACTIONS: ReadonlySet<Action> = new Set<Action>(['SCMP_ACT_ERRNO', 'SCMP_ACT_TRACE']);

export function isBlocking(action: Action): boolean {
  return BLOCKING_ACTIONS.has(action);
}
