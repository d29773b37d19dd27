/** What each loss reason the agents report means to the user, and the doctor check that explains it. */
const REASONS: Record<string, string> = {
  'kernel-suppressed': 'kernel rate limit (doctor: log.rate-limit)',
  'audit-lost': 'audit backlog full (doctor: kernel.audit)',
  'ring-overrun': 'kernel log ring overrun (doctor: log.kmsg)',
  'overwritten-while-down': 'agent restart',
  unspecified: 'reason not given (older agent)',
};

/** "kernel rate limit (doctor: log.rate-limit)"; a reason newer than this CLI as the agent says it. */
export const explainLoss = (reason: string): string => REASONS[reason] ?? reason;

/** Records the agent had and this client was too slow to take (its queue overflowed). */
export const DROPPED = 'client too slow';
