import { lstat, readlink } from 'node:fs/promises';
import path from 'node:path';
import { inRoot } from './fs.js';

const MAX_LINKS = 40;

/**
 * Resolves symlinks in a host path the way the host sees them: absolute link targets are
 * interpreted inside the host root, not in the agent's own filesystem. Missing components are
 * kept as they are (a profile dir may not exist yet). Returns a host path.
 */
export async function resolveInRoot(hostRoot: string, hostPath: string): Promise<string> {
  let pending = path.resolve('/', hostPath).split('/').filter(Boolean);
  let resolved = '/';
  let links = 0;
  while (pending.length > 0) {
    const [part, ...rest] = pending as [string, ...string[]];
    pending = rest;
    if (part === '.') continue;
    if (part === '..') {
      resolved = path.dirname(resolved);
      continue;
    }
    const next = path.posix.join(resolved, part);
    let target: string | undefined;
    try {
      const st = await lstat(inRoot(hostRoot, next));
      if (st.isSymbolicLink()) target = await readlink(inRoot(hostRoot, next));
    } catch {
      return path.posix.join(next, ...pending);
    }
    if (target === undefined) {
      resolved = next;
      continue;
    }
    if (++links > MAX_LINKS) return path.posix.join(next, ...pending);
    if (path.posix.isAbsolute(target)) resolved = '/';
    pending = [...target.split('/').filter(Boolean), ...pending];
  }
  return resolved;
}

/** Whether host path `child` is `parent` or inside it. */
export function isWithin(parent: string, child: string): boolean {
  const rel = path.posix.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.posix.isAbsolute(rel));
}
