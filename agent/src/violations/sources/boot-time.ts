import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Wall-clock time of boot, in ms since the epoch, from /proc/uptime (CLOCK_BOOTTIME, sub-second
 * precision; /proc/stat btime is rounded to whole seconds). kmsg USEC counts from here. The host's
 * /proc is preferred; the agent's own tells the same outside a time namespace.
 */
export async function bootTimeUnixMs(hostRoot: string): Promise<number> {
  const paths = [...new Set([join(hostRoot, 'proc/uptime'), '/proc/uptime'])];
  let lastError: unknown;
  for (const path of paths) {
    try {
      const text = await readFile(path, 'utf8');
      const uptime = Number(text.split(' ')[0]);
      if (!Number.isFinite(uptime)) throw new Error(`${path}: cannot read the uptime from ${JSON.stringify(text)}`);
      return Date.now() - uptime * 1000;
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}
