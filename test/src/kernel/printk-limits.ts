import { readFile, writeFile } from 'node:fs/promises';

const RATELIMIT = '/proc/sys/kernel/printk_ratelimit';
const BURST = '/proc/sys/kernel/printk_ratelimit_burst';

/** Sets the kernel's printk limits (interval in s, burst); the returned function puts back what was there. */
export async function printkLimits(interval: number, burst: number): Promise<() => Promise<void>> {
  const before = await Promise.all([readFile(RATELIMIT, 'utf8'), readFile(BURST, 'utf8')]);
  await writeFile(RATELIMIT, String(interval));
  await writeFile(BURST, String(burst));
  return async () => {
    await writeFile(RATELIMIT, before[0].trim());
    await writeFile(BURST, before[1].trim());
  };
}

/** The kernel's default printk limits (5 s, burst 10). */
export const defaultPrintkLimits = (): Promise<() => Promise<void>> => printkLimits(5, 10);
