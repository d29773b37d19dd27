import type { CheckResult } from '@kubectl-seccomp/proto';
import type { NodeFacts } from './facts.js';
import { pass, warn } from './result.js';

const ID = 'kernel.release';

export function checkKernelRelease(facts: NodeFacts): CheckResult {
  const { release, machine } = facts.kernel;
  if (!release) {
    return warn(ID, 'kernel release unknown', '/proc/sys/kernel/osrelease is not readable.', `Mount the host's /proc under the host root.`);
  }
  const m = /^(\d+)\.(\d+)/.exec(release);
  const [major, minor] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (m && (major < 4 || (major === 4 && minor < 14))) {
    return warn(
      ID,
      `Linux ${release} (${machine}) is older than 4.14`,
      'SCMP_ACT_LOG, SCMP_ACT_KILL_PROCESS and kernel.seccomp.actions_logged need Linux 4.14.',
      'Upgrade the node kernel.',
    );
  }
  return pass(ID, `Linux ${release} (${machine})`);
}
