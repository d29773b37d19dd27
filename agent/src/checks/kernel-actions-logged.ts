import type { CheckResult } from '@kubectl-seccomp/proto';
import type { NodeFacts } from './facts.js';
import { pass, skip, warn } from './result.js';

const ID = 'kernel.actions-logged';

/** Actions whose hits should reach the log for `watch` to see them. */
const WANTED = ['log', 'kill_process', 'kill_thread'];

export function checkKernelActionsLogged(facts: NodeFacts): CheckResult {
  const { actionsAvail, actionsLogged } = facts.kernel;
  if (actionsAvail === undefined) return skip(ID, 'kernel has no actions_logged (before 4.14)');
  if (actionsLogged === undefined) {
    return warn(
      ID,
      '/proc/sys/kernel/seccomp/actions_logged is not readable',
      'Cannot tell whether SCMP_ACT_LOG hits are logged.',
      `Mount the host's /proc under the host root.`,
    );
  }
  const missing = WANTED.filter((a) => actionsAvail.includes(a) && !actionsLogged.includes(a));
  if (missing.length === 0) return pass(ID, `logged actions: ${actionsLogged.join(' ')}`);
  // "allow" can never be written to actions_logged (EINVAL), so it is left out of the fix.
  const fixed = actionsAvail.filter((a) => a !== 'allow' && (actionsLogged.includes(a) || missing.includes(a)));
  const value = fixed.join(' ');
  const silent = missing.includes('log') ? 'SCMP_ACT_LOG profiles are silent' : `${missing.join(', ')} hits are not logged`;
  return warn(
    ID,
    `actions_logged lacks ${missing.map((a) => `"${a}"`).join(', ')}: ${silent}`,
    `kernel.seccomp.actions_logged is "${actionsLogged.join(' ')}"; watch never sees hits of actions missing from it.`,
    `sysctl -w kernel.seccomp.actions_logged="${value}" and keep it across reboots with a line kernel.seccomp.actions_logged = ${value} in /etc/sysctl.d/90-seccomp.conf.`,
  );
}
