import type { CheckResult } from '@kubectl-seccomp/proto';
import { cmdlineParam } from './kernel-audit.js';
import type { NodeFacts } from './facts.js';
import { pass, skip, warn } from './result.js';

const ID = 'log.rate-limit';

/** The kernel defaults: below them records get dropped sooner than on a stock node. */
const DEFAULT_PRINTK_BURST = 10;
const DEFAULT_AUDIT_BACKLOG = 64;

export function checkLogRateLimit(facts: NodeFacts): CheckResult {
  const { printkRatelimit, printkRatelimitBurst } = facts.logs;
  const { auditdRunning } = facts.logs.probe;
  if (auditdRunning) {
    const raw = cmdlineParam(facts.kernel.cmdline, 'audit_backlog_limit');
    const backlog = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
    const detail =
      "auditd's own backlog and rate limits (auditctl -s) also apply; under a storm of violations the kernel drops records and counts them as audit_lost.";
    if (backlog !== undefined && backlog < DEFAULT_AUDIT_BACKLOG) {
      return warn(
        ID,
        `audit backlog limit is low (${backlog})`,
        detail,
        `Raise audit_backlog_limit on the kernel command line (auditctl -b ${DEFAULT_AUDIT_BACKLOG * 128} at runtime).`,
      );
    }
    return pass(ID, `audit backlog limit ${backlog ?? `${DEFAULT_AUDIT_BACKLOG} (default) or set by auditd`}`, detail);
  }
  if (printkRatelimit === undefined || printkRatelimitBurst === undefined) {
    return skip(ID, 'printk rate limits not readable');
  }
  const limits = `${printkRatelimitBurst} records per ${printkRatelimit}s`;
  const detail =
    'Without auditd, seccomp records reach kmsg through the printk rate limit; records beyond it are dropped (the kernel logs "kauditd_printk_skb: N callbacks suppressed") and watch reports them as lost.';
  if (printkRatelimit > 0 && printkRatelimitBurst < DEFAULT_PRINTK_BURST) {
    return warn(
      ID,
      `kernel log rate limit is low: ${limits}`,
      detail,
      `sysctl -w kernel.printk_ratelimit_burst=${DEFAULT_PRINTK_BURST * 10} (persist it in /etc/sysctl.d/).`,
    );
  }
  return pass(ID, printkRatelimit === 0 ? 'kernel log is not rate limited' : `kernel log rate limit: ${limits}`, detail);
}
