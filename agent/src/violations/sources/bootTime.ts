import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Wall-clock time of boot, in ms since the epoch, from the host's /proc/uptime (CLOCK_BOOTTIME,
 * sub-second precision; /proc/stat btime is rounded to whole seconds). kmsg USEC counts from here.
 */
export async function bootTimeUnixMs(hostRoot: string): Promise<number> {
  const path = join(hostRoot, 'proc/uptime');
  const text = await readFile(path, 'utf8');
  const uptime = Number(text.split(' ')[0]);
  if (!Number.isFinite(uptime)) throw new Error(`${path}: cannot read the uptime from ${JSON.stringify(text)}`);
  return Date.now() - uptime * 1000;
}
