import type { CheckResult } from '@kubectl-seccomp/proto';
import type { NodeFacts } from './facts.js';
import { pass, warn } from './result.js';

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

/** Whether /dev/kmsg opens; whether that leaves watch without records is log.sources' call. */
export function checkLogKmsg(facts: NodeFacts): CheckResult {
  const { kmsg, probe } = facts.logs;
  if (!kmsg.error) return pass(ID, '/dev/kmsg is readable');
  const denied = kmsg.error === 'EPERM' || kmsg.error === 'EACCES';
  const reason = denied ? whyDenied(facts) : kmsg.error === 'ENOENT' ? `it is not under the host root ${facts.hostRoot}` : kmsg.error;
  return warn(
    ID,
    `/dev/kmsg is not readable: ${reason}`,
    probe.auditdRunning ? 'auditd receives the records instead, so kmsg is not needed while it runs.' : 'Without auditd, seccomp records go to the kernel log.',
    kmsg.error === 'ENOENT'
      ? "Mount the host's /dev/kmsg into the agent (hostPath, type CharDevice)."
      : 'Give the agent CAP_SYSLOG and access to /dev/kmsg (a hostPath CharDevice mount and, unless privileged, a device cgroup rule).',
  );
}
