import { describeFsError, type Dir } from './safe-fs.js';
import type { StampCache } from './stamp-cache.js';

export interface ListedFile {
  path: string;
  sha256: string;
  size: number;
  error: string;
  /** When the file was last written or replaced (ctime, ms since the epoch); 0 when unknown. */
  changedUnixMs: number;
}

/** Deeper trees are not walked: the kubelet's profile dir is a few levels at most. */
const MAX_WALK_DEPTH = 16;

/** What a file's bytes gave: its digest always, the check's verdict once a listing read it. */
export interface KnownFile {
  sha256: string;
  size: number;
  error?: string;
  changedUnixMs?: number;
}

export interface ListOptions {
  /** Files over this size are hashed but not checked. */
  maxBytes: number;
  /** Why the bytes are not a profile ('' if they are). */
  check: (bytes: Uint8Array, path: string) => string;
  /** Files unchanged since an earlier read are not read (or checked) again. */
  known: StampCache<KnownFile>;
}

/**
 * Every *.json under `root`, sorted by path. Hidden names (ours: index, temp files) are skipped and
 * symlinks are reported, never followed.
 */
export async function listTree(root: Dir, opts: ListOptions): Promise<ListedFile[]> {
  const out: ListedFile[] = [];
  await walk(root, 0, out, opts);
  opts.known.retainOnly(new Set(out.map((f) => f.path)));
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function walk(dir: Dir, depth: number, out: ListedFile[], opts: ListOptions): Promise<void> {
  for (const entry of await dir.entries()) {
    if (entry.name.startsWith('.')) continue;
    const path = dir.rel === '' ? entry.name : `${dir.rel}/${entry.name}`;
    if (entry.kind === 'dir') {
      if (depth + 1 >= MAX_WALK_DEPTH) continue;
      const sub = await dir.sub(entry.name, false).catch(() => undefined);
      if (sub === undefined) continue;
      try {
        await walk(sub, depth + 1, out, opts);
      } finally {
        await sub.close();
      }
      continue;
    }
    if (!entry.name.endsWith('.json')) continue;
    if (entry.kind !== 'file') {
      const what = entry.kind === 'symlink' ? 'symbolic link; not followed' : 'not a regular file';
      out.push({ path, sha256: '', size: 0, error: what, changedUnixMs: 0 });
      continue;
    }
    try {
      const file = await listFile(dir, entry.name, path, opts);
      if (file !== undefined) out.push({ path, sha256: file.sha256, size: file.size, error: file.error ?? '', changedUnixMs: file.changedUnixMs ?? 0 });
    } catch (err) {
      out.push({ path, sha256: '', size: 0, error: describeFsError(err), changedUnixMs: 0 });
    }
  }
}

function listFile(dir: Dir, name: string, path: string, opts: ListOptions): Promise<KnownFile | undefined> {
  return opts.known.read(
    dir,
    name,
    path,
    opts.maxBytes,
    (read) => ({
      sha256: read.sha256,
      size: read.size,
      error: read.content === undefined ? `larger than ${opts.maxBytes} bytes` : opts.check(read.content, path),
      changedUnixMs: read.stamp.changedMs,
    }),
    // What a sync probe kept has no check verdict (or time) yet.
    (known) => known.error !== undefined && known.changedUnixMs !== undefined,
  );
}
