/** When and how often a node whose stream broke is dialled again. */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** Consecutive failures (no event received in between) before the node is given up as failed. */
  maxFailures: number;
}

/** About a minute of retries: long enough for an agent pod to be restarted by its DaemonSet. */
export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 250, maxMs: 10_000, factor: 2, maxFailures: 10 };

/** Delay before retry number `failures` (1-based). */
export function backoffDelay(failures: number, policy: BackoffPolicy): number {
  const exp = policy.initialMs * policy.factor ** Math.max(0, failures - 1);
  return Math.min(policy.maxMs, Math.round(exp));
}
