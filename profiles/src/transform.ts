import { ERRNO_ACTIONS, isBlocking } from './actions.js';
import type { Action, SeccompProfile, SyscallRule } from './model.js';

const LOG: Action = 'SCMP_ACT_LOG';

/**
 * The same profile that blocks nothing: every blocking action (the default too) becomes
 * SCMP_ACT_LOG, so each would-be denial is logged and `watch` shows it. errnoRet, defaultErrnoRet
 * and the notify listener go where no action uses them any more; rules left with the default
 * action are dropped, as runc skips them anyway.
 */
export function toAuditMode(profile: SeccompProfile): SeccompProfile {
  const defaultAction = isBlocking(profile.defaultAction) ? LOG : profile.defaultAction;
  const out: SeccompProfile = { ...profile, defaultAction };
  if (!ERRNO_ACTIONS.has(defaultAction)) delete out.defaultErrnoRet;
  delete out.listenerPath;
  delete out.listenerMetadata;
  if (profile.syscalls) {
    out.syscalls = profile.syscalls
      .map((rule): SyscallRule => {
        if (!isBlocking(rule.action)) return rule;
        const { errnoRet: _dropped, ...rest } = rule;
        return { ...rest, action: LOG };
      })
      .filter((rule) => rule.action !== defaultAction);
  }
  return out;
}

/** Adds SECCOMP_FILTER_FLAG_LOG (once), so ERRNO/TRAP/TRACE/NOTIFY hits are logged too. */
export function withLogFlag(profile: SeccompProfile): SeccompProfile {
  const flags = profile.flags ?? [];
  if (flags.includes('SECCOMP_FILTER_FLAG_LOG')) return profile;
  return { ...profile, flags: [...flags, 'SECCOMP_FILTER_FLAG_LOG'] };
}
