import { Interrupted, UserError } from '../errors.js';
import { resolveTargets } from '../targets/resolve.js';
import type { ResolveOptions, TargetFlags, TargetSet } from '../targets/types.js';

const CLOSE_GRACE_MS = 500;

/**
 * Resolves the targets, runs fn, and always releases them (port-forwards, in-process agent).
 * Ctrl-C aborts the signal given to fn and ends in Interrupted (exit 130) once everything is
 * closed; a second Ctrl-C exits at once.
 */
export async function withTargets<T>(flags: TargetFlags, log: ResolveOptions['log'], fn: (set: TargetSet, signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const onInterrupt = (): void => {
    if (ac.signal.aborted) process.exit(130);
    log('interrupted: closing connections');
    ac.abort();
  };
  process.on('SIGINT', onInterrupt);
  try {
    const set = await resolveTargets(flags, { signal: ac.signal, log }).catch((err: unknown) => {
      // No node list at all (API server unreachable, bad kubeconfig): no node could be asked.
      throw err instanceof UserError || ac.signal.aborted ? err : new UserError((err as Error).message, 2);
    });
    try {
      const result = await fn(set, ac.signal);
      if (ac.signal.aborted) throw new Interrupted();
      return result;
    } finally {
      // After Ctrl-C, closing (port-forwards, agents) gets a moment, never the user's patience.
      await (ac.signal.aborted ? Promise.race([set.close(), new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref())]) : set.close());
    }
  } catch (err) {
    throw ac.signal.aborted ? new Interrupted() : err;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
