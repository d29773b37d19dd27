import type { CheckResult } from '@kubectl-seccomp/proto';
import type { NodeFacts } from './facts.js';
import { fail, pass } from './result.js';

const ID = 'log.auditd';

export function checkLogAuditd(facts: NodeFacts): CheckResult {
  const { auditLog } = facts.logs;
  const { auditdRunning } = facts.logs.probe;
  if (!auditdRunning) {
    return pass(ID, 'auditd is not running: seccomp records go to the kernel log (kmsg, journald)');
  }
  if (!auditLog.error) {
    return pass(
      ID,
      `auditd is running: seccomp records go to ${auditLog.path}, which the agent reads`,
      "They do not reach kmsg or journald's kernel transport.",
    );
  }
  return fail(
    ID,
    `auditd is running, so seccomp records go to ${auditLog.path}, which the agent cannot read (${auditLog.error})`,
    'While auditd runs, the kernel hands seccomp records to it instead of kmsg: watch sees nothing from this node.',
    `Mount the host's ${auditLog.path.replace(/\/[^/]*$/, '') || '/'} read-only under the agent's host root.`,
  );
}
