import { closeSync, constants, openSync, readSync } from 'node:fs';

/**
 * The kernel log as it is now, read straight from /dev/kmsg (independent of the agent): one string per
 * record (`PRIORITY,SEQ,USEC,FLAGS;TEXT`). A non-blocking reader gets one record per read and EAGAIN
 * at the end; EPIPE means the ring overran under us, and reading on continues with the oldest record.
 */
export function kernelLog(): string[] {
  const fd = openSync('/dev/kmsg', constants.O_RDONLY | constants.O_NONBLOCK);
  const records: string[] = [];
  const buf = Buffer.alloc(16 * 1024);
  try {
    for (;;) {
      try {
        const n = readSync(fd, buf, 0, buf.length, null);
        records.push(buf.toString('utf8', 0, n));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') return records;
        if (code !== 'EPIPE') throw err;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** type=1326 records the kernel logged for this pid. */
export function seccompRecordsOf(pid: number): string[] {
  return kernelLog().filter((r) => r.includes('type=1326') && r.includes(` pid=${pid} `));
}
