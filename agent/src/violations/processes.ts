import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CgroupIdentity, parseCgroup } from '../host/cgroup.js';

/**
 * Field 22 (starttime) of /proc/PID/stat; comm (field 2) may hold spaces and parentheses, so fields are
 * counted after the last ')'.
 */
export function startTimeFromStat(stat: string): string | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  // After ") " come fields 3, 4, ...: starttime is the 20th of them.
  const fields = stat.slice(close + 2).split(' ');
  const start = fields[19];
  return start !== undefined && /^\d+$/.test(start) ? start : undefined;
}

interface Entry {
  startTime: string;
  identity: CgroupIdentity | undefined;
}

/**
 * PID -> container identity through <hostRoot>/proc, cached by pid + start time so that a reused pid
 * is not mistaken for the process that had it before. A process already gone yields undefined.
 * Reads are synchronous: /proc reads do not block on disk, and records stay in order.
 */
export class ProcessIdentities {
  private readonly cache = new Map<number, Entry>();

  constructor(
    private readonly hostRoot: string,
    private readonly maxEntries = 8192,
  ) {}

  identify(pid: number): CgroupIdentity | undefined {
    const dir = join(this.hostRoot, 'proc', String(pid));
    const stat = readOrUndefined(join(dir, 'stat'));
    const startTime = stat === undefined ? undefined : startTimeFromStat(stat);
    if (startTime === undefined) {
      this.cache.delete(pid);
      return undefined;
    }
    const cached = this.cache.get(pid);
    if (cached?.startTime === startTime) return cached.identity;
    const cgroup = readOrUndefined(join(dir, 'cgroup'));
    if (cgroup === undefined) return undefined;
    const identity = parseCgroup(cgroup);
    this.remember(pid, { startTime, identity });
    return identity;
  }

  private remember(pid: number, entry: Entry): void {
    this.cache.delete(pid);
    if (this.cache.size >= this.maxEntries) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(pid, entry);
  }
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
