import { readFile, writeFile } from 'node:fs/promises';

const RATELIMIT = '/proc/sys/kernel/printk_ratelimit';
const BURST = '/proc/sys/kernel/printk_ratelimit_burst';

/** Sets the kernel's default printk limits (5 s, burst 10); the returned function puts back what was there. */
export async function defaultPrintkLimits(): Promise<() => Promise<void>> {
  const before = await Promise.all([readFile(RATELIMIT, 'utf8'), readFile(BURST, 'utf8')]);
  await writeFile(RATELIMIT, '5');
  await writeFile(BURST, '10');
  return async () => {
    await writeFile(RATELIMIT, before[0].trim());
    await writeFile(BURST, before[1].trim());
  };
}
