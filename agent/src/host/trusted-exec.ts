import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** Where a program may live for local mode to execute it: the dirs only root can write to. */
export const SYSTEM_BIN_DIRS = ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/bin', '/sbin', '/usr/libexec'] as const;

async function rootOwnedNotShared(file: string): Promise<boolean> {
  const st = await stat(file);
  return st.uid === 0 && (st.mode & 0o022) === 0;
}

/**
 * The real path of `file` when executing it cannot run someone else's code as us: it resolves into
 * a system dir, and it and every dir above it are root-owned and not writable by group or others.
 * Undefined otherwise, and for anything that cannot be checked.
 */
export async function trustedExecutable(file: string, systemDirs: readonly string[] = SYSTEM_BIN_DIRS): Promise<string | undefined> {
  if (!path.isAbsolute(file)) return undefined;
  try {
    const real = await realpath(file);
    const dirs = await Promise.all(systemDirs.map((d) => realpath(d).catch(() => '')));
    if (!dirs.some((d) => d && path.dirname(real) === d)) return undefined;
    if (!(await stat(real)).isFile()) return undefined;
    for (let p = real; ; p = path.dirname(p)) {
      if (!(await rootOwnedNotShared(p))) return undefined;
      if (p === path.dirname(p)) return real;
    }
  } catch {
    return undefined;
  }
}
