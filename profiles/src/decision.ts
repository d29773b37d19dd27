// What a plain (flattened) profile does with each syscall it names, and with the rest: the one reading
// of a profile that lint's start check, diff and record share.
import { ERRNO_ACTIONS } from './actions.js';
import type { Action, SeccompProfile, SyscallArg } from './model.js';

const EPERM = 1;

/** An action as runc loads it; `label` compares equal exactly when the kernel does the same thing. */
export interface Verdict {
  action: Action;
  errnoRet?: number;
  /** KILL is KILL_THREAD, ERRNO/TRACE without errnoRet return EPERM: e.g. "SCMP_ACT_ERRNO(1)". */
  label: string;
  /** The call runs (ALLOW or LOG). */
  allows: boolean;
}

export interface ConditionalVerdict {
  args: SyscallArg[];
  verdict: Verdict;
}

export interface SyscallDecision {
  /** What happens when no argument condition matches: a rule without args, else the default. */
  otherwise: Verdict;
  /** Rules with argument conditions, in profile order. */
  conditional: ConditionalVerdict[];
}

export interface ProfileDecisions {
  fallback: Verdict;
  /** Every syscall the profile names. */
  named: ReadonlyMap<string, SyscallDecision>;
  /** The decision for any name (the fallback for names the profile does not list). */
  of(name: string): SyscallDecision;
}

export function verdict(action: Action, errnoRet?: number): Verdict {
  const base = action === 'SCMP_ACT_KILL' ? 'SCMP_ACT_KILL_THREAD' : action;
  const withErrno = ERRNO_ACTIONS.has(action);
  const label = withErrno ? `${base}(${errnoRet ?? EPERM})` : base;
  const v: Verdict = { action, label, allows: action === 'SCMP_ACT_ALLOW' || action === 'SCMP_ACT_LOG' };
  if (withErrno) v.errnoRet = errnoRet ?? EPERM;
  return v;
}

/** Reads a plain profile (flatten it first: Docker-format includes/excludes are not looked at here). */
export function profileDecisions(flat: SeccompProfile): ProfileDecisions {
  const fallback = verdict(flat.defaultAction, flat.defaultErrnoRet);
  const named = new Map<string, SyscallDecision>();
  for (const rule of flat.syscalls ?? []) {
    const v = verdict(rule.action, rule.errnoRet);
    for (const name of [...(rule.names ?? []), ...(rule.name ? [rule.name] : [])]) {
      let d = named.get(name);
      if (!d) named.set(name, (d = { otherwise: fallback, conditional: [] }));
      if (rule.args?.length) d.conditional.push({ args: rule.args, verdict: v });
      else d.otherwise = v;
    }
  }
  return { fallback, named, of: (name) => named.get(name) ?? { otherwise: fallback, conditional: [] } };
}
