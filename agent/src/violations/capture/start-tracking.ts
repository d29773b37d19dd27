import type { Logger } from '../../log.js';
import type { AgentMetrics } from '../../metrics.js';
import { ProcessIdentities } from '../processes.js';
import { CaptureUnavailableError, findCaptureHelper } from './capture-helper.js';
import { ProcessTracking } from './process-tracking.js';

export interface TrackingChoice {
  /** undefined: the pipeline names processes through /proc only. */
  tracking: ProcessTracking | undefined;
  reason: string;
}

/** Starts BPF process tracking when asked for and the node allows it; says why not otherwise. */
export async function startProcessTracking(opts: {
  hostRoot: string;
  mode: 'auto' | 'off';
  helper?: string | undefined;
  log: Logger;
  metrics?: Pick<AgentMetrics, 'processTracking' | 'processEventsLost'>;
}): Promise<TrackingChoice> {
  opts.metrics?.processTracking(false);
  if (opts.mode === 'off') return { tracking: undefined, reason: 'turned off (--process-tracking off)' };
  const helper = opts.helper ?? (await findCaptureHelper());
  if (!helper) return { tracking: undefined, reason: 'seccomp-capture is not installed' };
  const tracking = new ProcessTracking({
    helper,
    hostRoot: opts.hostRoot,
    fallback: new ProcessIdentities(opts.hostRoot),
    log: opts.log,
    metrics: opts.metrics,
  });
  try {
    await tracking.start();
    return { tracking, reason: 'BPF tracepoints attached (fork, exec, exit, cgroup moves)' };
  } catch (err) {
    await tracking.stop();
    if (!(err instanceof CaptureUnavailableError)) throw err;
    return { tracking: undefined, reason: err.notPermitted ? `not permitted (needs CAP_BPF and CAP_PERFMON): ${err.message}` : err.message };
  }
}
