import { STARTUP_SYSCALLS, type SeccompProfile, type SyscallRule } from '@kubectl-seccomp/profiles';

/** EPERM: what the runtimes' default profiles return for a denied call. */
const EPERM = 1;

export interface Suggestion {
  profile: SeccompProfile;
  /** Syscalls the suggestion allows that the base did not (sorted). */
  added: string[];
  /** Observed syscalls the base already allowed unconditionally. */
  alreadyAllowed: string[];
  /** Human notes about what was changed besides adding syscalls. */
  notes: string[];
}

function unconditional(rule: SyscallRule): boolean {
  const empty = (f: SyscallRule['includes']): boolean => !f || ((f.caps ?? []).length === 0 && (f.arches ?? []).length === 0 && !f.minKernel);
  return (rule.args ?? []).length === 0 && empty(rule.includes) && empty(rule.excludes);
}

function ruleNames(rule: SyscallRule): string[] {
  return [...(rule.names ?? []), ...(rule.name !== undefined ? [rule.name] : [])];
}

/**
 * The profile to run with after a trial: `base` with every observed syscall allowed.
 *
 * - Exactly the observed names are added, in one ALLOW rule, sorted, without the names `base` already
 *   allows unconditionally.
 * - An observed name is taken out of the base's non-ALLOW rules (a LOG rule from an audit-mode profile,
 *   an explicit ERRNO): the workload was seen needing it, and two rules with different actions for one
 *   syscall are rejected by libseccomp.
 * - A base whose default is SCMP_ACT_LOG is an audit-mode trial profile: the blocking default is
 *   restored (SCMP_ACT_ERRNO with EPERM, what the runtimes' defaults return). Flags are kept, so a
 *   SECCOMP_FILTER_FLAG_LOG base keeps logging denials where watch can see them.
 * - With no base, the suggestion allows the calls every container makes at start (STARTUP_SYSCALLS,
 *   which lint's cannot-start requires) and the observed syscalls, and denies everything else with
 *   EPERM, for the architectures the calls were made with. That is complete only when the trial logged
 *   every call (defaultAction SCMP_ACT_LOG with nothing allowed); give --base otherwise.
 */
export function suggestProfile(observed: Iterable<string>, base?: SeccompProfile, arches: Iterable<string> = []): Suggestion {
  const wanted = [...new Set(observed)].sort();
  const notes: string[] = [];
  const profile: SeccompProfile = base
    ? structuredClone(base)
    : {
        defaultAction: 'SCMP_ACT_ERRNO',
        defaultErrnoRet: EPERM,
        syscalls: [{ names: STARTUP_SYSCALLS.flatMap((c) => c.names).sort(), action: 'SCMP_ACT_ALLOW' }],
      };
  if (!base) {
    const archList = [...new Set(arches)].sort();
    if (archList.length > 0) profile.architectures = archList;
    notes.push("no --base: the calls every container makes at start are allowed too (execve, exit_group, runc's own)");
  }
  if (profile.defaultAction === 'SCMP_ACT_LOG') {
    profile.defaultAction = 'SCMP_ACT_ERRNO';
    profile.defaultErrnoRet = EPERM;
    notes.push('defaultAction SCMP_ACT_LOG (audit mode) replaced by SCMP_ACT_ERRNO (EPERM)');
  }

  const allowed = new Set<string>();
  for (const rule of profile.syscalls ?? []) {
    if (rule.action === 'SCMP_ACT_ALLOW' && unconditional(rule)) for (const n of ruleNames(rule)) allowed.add(n);
  }
  const alreadyAllowed = wanted.filter((n) => allowed.has(n));
  const added = wanted.filter((n) => !allowed.has(n));
  const addedSet = new Set(added);

  const rules: SyscallRule[] = [];
  for (const rule of profile.syscalls ?? []) {
    if (rule.action === 'SCMP_ACT_ALLOW') {
      rules.push(rule);
      continue;
    }
    const removed = ruleNames(rule).filter((n) => addedSet.has(n));
    if (removed.length === 0) {
      rules.push(rule);
      continue;
    }
    notes.push(`${removed.join(', ')} taken out of a ${rule.action} rule`);
    const next: SyscallRule = { ...rule };
    if (rule.names) next.names = rule.names.filter((n) => !addedSet.has(n));
    if (rule.name !== undefined && addedSet.has(rule.name)) delete next.name;
    if (ruleNames(next).length > 0) rules.push(next);
  }
  if (added.length > 0) rules.push({ names: added, action: 'SCMP_ACT_ALLOW' });
  profile.syscalls = rules;
  return { profile, added, alreadyAllowed, notes };
}
