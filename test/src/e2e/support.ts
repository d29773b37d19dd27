import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { runcAvailable } from '../harness/runc.js';

export { skipUnless } from '../kernel/support.js';

/** What the agents need on this machine: root to read /dev/kmsg (and /proc of every process). */
export function agentPrerequisites(): string | undefined {
  if (process.getuid?.() !== 0) return 'the agents read /dev/kmsg and /proc: needs root';
  if (!existsSync('/dev/kmsg')) return 'no /dev/kmsg';
  return undefined;
}

export async function containerPrerequisites(): Promise<string | undefined> {
  return agentPrerequisites() ?? (await runcAvailable());
}

/**
 * Polls until check() returns a value (not undefined/false), or fails naming what was awaited and
 * the last state seen. Bounded by attempts, so a hang becomes a clear failure, not a mocha timeout.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  opts: { attempts?: number; everyMs?: number; state?: () => unknown } = {},
): Promise<T> {
  const attempts = opts.attempts ?? 300;
  for (let i = 0; i < attempts; i++) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await sleep(opts.everyMs ?? 100);
  }
  throw new Error(`gave up waiting for ${what}${opts.state ? `; last seen: ${JSON.stringify(opts.state())}` : ''}`);
}
