import type { CheckResult } from '@kubectl-seccomp/proto';
import type { NodeFacts } from './facts.js';
import { fail, pass, warn } from './result.js';

const ID = 'log.kmsg';
const CAP_SYSLOG = 34n;

/** Whether a CapEff hex mask holds CAP_SYSLOG; undefined when the mask is unknown. */
export function hasCapSyslog(capEff: string): boolean | undefined {
  if (!/^[0-9a-fA-F]+$/.test(capEff)) return undefined;
  return ((BigInt(`0x${capEff}`) >> CAP_SYSLOG) & 1n) === 1n;
}

function whyDenied(facts: NodeFacts): string {
  const cap = hasCapSyslog(facts.kernel.agentCapEff);
  const restricted = facts.logs.dmesgRestrict === 1;
  if (restricted && cap === false) return 'kernel.dmesg_restrict=1 and the agent lacks CAP_SYSLOG';
  if (restricted && cap === undefined) return 'kernel.dmesg_restrict=1 and the agent may lack CAP_SYSLOG';
  if (cap === false) return 'the agent lacks CAP_SYSLOG (or the device cgroup denies it)';
  return 'the device is not accessible (file mode, device cgroup or LSM)';
}

export function checkLogKmsg(facts: NodeFacts): CheckResult {
  const { kmsg, auditdRunning, journalDirs, journaldRunning } = facts.logs;
  if (!kmsg.error) return pass(ID, '/dev/kmsg is readable');
  const reason =
    kmsg.error === 'EPERM' || kmsg.error === 'EACCES'
      ? whyDenied(facts)
      : kmsg.error === 'ENOENT'
        ? `it is not under the host root ${facts.hostRoot}`
        : kmsg.error;
  const remedy =
    kmsg.error === 'ENOENT'
      ? 'Mount the host\'s /dev/kmsg into the agent (hostPath, type CharDevice).'
      : 'Give the agent CAP_SYSLOG and access to /dev/kmsg (a hostPath CharDevice mount and, unless privileged, a device cgroup rule).';
  // kmsg matters only when it is where records go and journald cannot stand in for it.
  const journalReadable = journaldRunning && journalDirs.some((d) => !d.error);
  if (auditdRunning || journalReadable) {
    return warn(ID, `/dev/kmsg is not readable: ${reason}`, auditdRunning ? 'auditd receives the records instead.' : 'Violations can still be read from journald.', remedy);
  }
  return fail(ID, `/dev/kmsg is not readable: ${reason}`, 'Seccomp records go to the kernel log and no other source of it is readable: watch sees nothing from this node.', remedy);
}
