import { describeFsError, type Dir } from './safe-fs.js';

export interface ListedFile {
  path: string;
  sha256: string;
  size: number;
  error: string;
}

/** Deeper trees are not walked: the kubelet's profile dir is a few levels at most. */
const MAX_WALK_DEPTH = 16;

/**
 * Every *.json under `root`, sorted by path. Hidden names (ours: index, temp files) are skipped and
 * symlinks are reported, never followed. `check` returns why the bytes are not a profile ('' if they
 * are); files over `maxBytes` are hashed but not parsed.
 */
export async function listTree(
  root: Dir,
  maxBytes: number,
  check: (bytes: Uint8Array, path: string) => string,
): Promise<ListedFile[]> {
  const out: ListedFile[] = [];
  await walk(root, 0, out, maxBytes, check);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function walk(
  dir: Dir,
  depth: number,
  out: ListedFile[],
  maxBytes: number,
  check: (bytes: Uint8Array, path: string) => string,
): Promise<void> {
  for (const entry of await dir.entries()) {
    if (entry.name.startsWith('.')) continue;
    const path = dir.rel === '' ? entry.name : `${dir.rel}/${entry.name}`;
    if (entry.kind === 'dir') {
      if (depth + 1 >= MAX_WALK_DEPTH) continue;
      const sub = await dir.sub(entry.name, false).catch(() => undefined);
      if (sub === undefined) continue;
      try {
        await walk(sub, depth + 1, out, maxBytes, check);
      } finally {
        await sub.close();
      }
      continue;
    }
    if (!entry.name.endsWith('.json')) continue;
    if (entry.kind !== 'file') {
      const what = entry.kind === 'symlink' ? 'symbolic link; not followed' : 'not a regular file';
      out.push({ path, sha256: '', size: 0, error: what });
      continue;
    }
    try {
      const read = await dir.readRegular(entry.name, maxBytes);
      if (read === undefined) continue;
      const error = read.content === undefined ? `larger than ${maxBytes} bytes` : check(read.content, path);
      out.push({ path, sha256: read.sha256, size: read.size, error });
    } catch (err) {
      out.push({ path, sha256: '', size: 0, error: describeFsError(err) });
    }
  }
}
