import type { CheckResult } from '@kubectl-seccomp/proto';
import type { NodeFacts } from './facts.js';
import { pass, skip, warn } from './result.js';

const ID = 'capture.mode';

/** How the running agent captures records and names their processes (what run.ts chose, and why). */
export interface CaptureFacts {
  /** Records from the audit multicast group (every record, unthrottled). */
  auditNetlink: { used: boolean; reason: string };
  /** Processes named from BPF fork/exec/exit events (also those that exited or were killed). */
  processTracking: { used: boolean; reason: string };
  /** The violation sources read. */
  sources: string[];
}

export function checkCaptureMode(facts: NodeFacts): CheckResult {
  const capture = facts.capture;
  if (!capture) return skip(ID, 'capture mode not known (no violation pipeline in this process)');
  const { auditNetlink, processTracking } = capture;
  const through = `sources: ${capture.sources.join(', ') || 'none'}`;
  if (auditNetlink.used && processTracking.used) {
    return pass(ID, 'every record (audit multicast group), processes named from BPF events', `${through}; ${processTracking.reason}`);
  }
  const costs: string[] = [];
  const remedies: string[] = [];
  if (!auditNetlink.used) {
    const { printkRatelimit, printkRatelimitBurst, probe } = facts.logs;
    costs.push(
      probe.auditdRunning
        ? `no audit multicast group (${auditNetlink.reason}): records come from auditd's log, as fast as auditd writes it`
        : `no audit multicast group (${auditNetlink.reason}): records come through the kernel log, which lets ${printkRatelimitBurst ?? '?'} per ${printkRatelimit ?? '?'}s through and drops the rest (counted as lost)`,
    );
    remedies.push('give the relay container CAP_AUDIT_READ with hostNetwork (manifests/base, docs/capture.md)');
  }
  if (!processTracking.used) {
    costs.push(
      `no BPF process tracking (${processTracking.reason}): a process that exited at once or was killed before the agent read its record is reported without its container`,
    );
    remedies.push('give the agent CAP_BPF and CAP_PERFMON (kernel >= 5.8) and ship seccomp-capture in its image');
  }
  return warn(
    ID,
    auditNetlink.used ? 'records of exited processes may go unnamed' : 'records may be dropped by the kernel log rate limit',
    `${through}. ${costs.join('. ')}.`,
    `${remedies.join('; ')}.`,
  );
}
