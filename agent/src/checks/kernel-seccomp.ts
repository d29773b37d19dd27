import type { CheckResult } from '@kubectl-seccomp/proto';
import type { NodeFacts } from './facts.js';
import { fail, pass, warn } from './result.js';

const ID = 'kernel.seccomp';

/** Actions profiles commonly use and the kernel version that brought each. */
const NOTABLE: Record<string, string> = {
  log: 'SCMP_ACT_LOG (Linux 4.14)',
  kill_process: 'SCMP_ACT_KILL_PROCESS (Linux 4.14)',
  user_notif: 'SCMP_ACT_NOTIFY (Linux 5.0)',
};

export function checkKernelSeccomp(facts: NodeFacts): CheckResult {
  const k = facts.kernel;
  const filterConfig = k.config?.['CONFIG_SECCOMP_FILTER'];
  if (k.actionsAvail === undefined) {
    if (!k.statusHasSeccomp || (k.config !== undefined && filterConfig !== 'y')) {
      return fail(
        ID,
        'the kernel has no seccomp filter support',
        `No /proc/sys/kernel/seccomp/actions_avail${k.statusHasSeccomp ? '' : ' and no Seccomp field in /proc/self/status'}${k.configSource ? `; ${k.configSource}: CONFIG_SECCOMP_FILTER=${filterConfig ?? 'unset'}` : ''}. Every seccomp profile fails to load.`,
        'Boot a kernel built with CONFIG_SECCOMP=y and CONFIG_SECCOMP_FILTER=y.',
      );
    }
    return warn(
      ID,
      'seccomp is present but the kernel predates 4.14',
      'No /proc/sys/kernel/seccomp/actions_avail: SCMP_ACT_LOG and SCMP_ACT_KILL_PROCESS are unavailable and profiles using them fail to load.',
      'Upgrade the node kernel to 4.14 or later.',
    );
  }
  const missing = Object.keys(NOTABLE).filter((a) => !k.actionsAvail?.includes(a));
  const avail = `Available actions: ${k.actionsAvail.join(' ')}.`;
  if (!k.actionsAvail.includes('errno') || !k.actionsAvail.includes('allow')) {
    return fail(ID, 'the kernel lacks basic seccomp actions (errno, allow)', avail, 'Boot a kernel with full seccomp filter support.');
  }
  if (missing.length > 0) {
    return warn(
      ID,
      `seccomp filters supported, but not ${missing.map((a) => NOTABLE[a]).join(', ')}`,
      `${avail} Profiles using a missing action fail to load.`,
      'Avoid these actions in profiles for this node, or upgrade its kernel.',
    );
  }
  return pass(ID, 'seccomp filters supported', avail);
}
