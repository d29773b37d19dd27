/**
 * Filesystem access that never follows a symlink below the profile root. Node has no openat(2), so
 * each directory is held open by descriptor and names are resolved through /proc/self/fd/N/NAME
 * (Linux): a component swapped for a symlink after it was checked cannot redirect a write, because
 * every step opens with O_NOFOLLOW relative to the directory already open.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import type { BigIntStats } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_DIRECTORY } = constants;

/** The path cannot be used without following a symlink or treating a non-file as a file. */
export class UnsafePathError extends Error {
  override readonly name = 'UnsafePathError';
}

/** Temp files are hidden (never listed, never valid request paths) and recognisable after a crash. */
export const TEMP_FILE = /^\.kubectl-seccomp\.[0-9a-f]{16}\.tmp$/;
const tempName = (): string => `.kubectl-seccomp.${randomBytes(8).toString('hex')}.tmp`;

const errno = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

/** A failure in words fit for a client: no /proc/self/fd paths, which mean nothing to them. */
export function describeFsError(err: unknown): string {
  if (err instanceof UnsafePathError) return err.message;
  const { code, syscall } = (err ?? {}) as NodeJS.ErrnoException;
  return code !== undefined ? `${syscall ?? 'io'} failed: ${code}` : String(err);
}

export interface FileDigest {
  sha256: string;
  size: number;
}

/**
 * Who a regular file is and when it last changed, as lstat/fstat see it: any write to it, in place
 * or by rename over it, changes `key` (a new inode, size, mtime or ctime), provided the change
 * happened at a later clock tick than `changedMs` (see StampCache for how that is ensured).
 */
export interface FileStamp {
  key: string;
  /** ctime, ms since the epoch: when the file was last written or replaced. */
  changedMs: number;
}

const stampOf = (st: BigIntStats): FileStamp => ({
  key: `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`,
  changedMs: Number(st.ctimeNs / 1_000_000n),
});

/** What readRegular gives: the digest, the stamp the file had when reading began, the bytes when small enough. */
export type RegularRead = FileDigest & { stamp: FileStamp; content?: Buffer };

/** Read this much at once (small profiles take one read). */
const READ_CHUNK_MAX = 1024 * 1024;

export class Dir {
  private constructor(
    private readonly handle: FileHandle,
    /** Relative to the root, for messages; "" for the root itself. */
    readonly rel: string,
  ) {}

  /** The root is trusted as given (it may itself be a symlink set up by the operator). */
  static async openRoot(root: string): Promise<Dir> {
    return new Dir(await open(root, O_RDONLY | O_DIRECTORY), '');
  }

  /** A name inside this directory, resolved relative to the open descriptor. */
  at(name: string): string {
    return `/proc/self/fd/${this.handle.fd}/${name}`;
  }

  private relOf(name: string): string {
    return this.rel === '' ? name : `${this.rel}/${name}`;
  }

  /** Opens a subdirectory; undefined when it does not exist and `create` is false. */
  async sub(name: string, create: boolean): Promise<Dir | undefined> {
    let created = false;
    if (create) {
      try {
        await mkdir(this.at(name), 0o755);
        created = true;
      } catch (err) {
        if (errno(err) !== 'EEXIST') throw err;
      }
    }
    let handle: FileHandle;
    try {
      handle = await open(this.at(name), O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    } catch (err) {
      if (errno(err) === 'ENOENT') return undefined;
      if (errno(err) === 'ENOTDIR' || errno(err) === 'ELOOP') throw await this.notA('directory', name);
      throw err;
    }
    // mkdir's mode is narrowed by the umask; profile dirs must be readable by the runtime.
    if (created) await handle.chmod(0o755);
    return new Dir(handle, this.relOf(name));
  }

  /** The stamp of a regular file without opening it; undefined when it does not exist. */
  async stamp(name: string): Promise<FileStamp | undefined> {
    let st: BigIntStats;
    try {
      st = await lstat(this.at(name), { bigint: true });
    } catch (err) {
      if (errno(err) === 'ENOENT') return undefined;
      throw err;
    }
    if (!st.isFile()) throw await this.notA('regular file', name);
    return stampOf(st);
  }

  /**
   * Hashes a regular file and returns its bytes too when it is at most `keepBytes` long, with the
   * stamp the file had when reading began. O_NONBLOCK keeps a FIFO planted under the root from
   * hanging the agent.
   */
  async readRegular(name: string, keepBytes: number): Promise<RegularRead | undefined> {
    let handle: FileHandle;
    try {
      handle = await open(this.at(name), O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    } catch (err) {
      if (errno(err) === 'ENOENT') return undefined;
      if (errno(err) === 'ELOOP') throw await this.notA('regular file', name);
      throw err;
    }
    try {
      const stat = await handle.stat({ bigint: true });
      if (!stat.isFile()) throw await this.notA('regular file', name);
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let size = 0;
      // Sized from fstat, so a profile is one read; reads go on until one comes back short (EOF).
      const chunkBytes = Math.min(Number(stat.size) + 1, READ_CHUNK_MAX);
      for (;;) {
        const chunk = Buffer.allocUnsafe(chunkBytes);
        const { bytesRead } = await handle.read(chunk, 0, chunkBytes, null);
        const got = chunk.subarray(0, bytesRead);
        hash.update(got);
        size += bytesRead;
        if (size <= keepBytes) chunks.push(got);
        if (bytesRead < chunkBytes) break;
      }
      return { sha256: hash.digest('hex'), size, stamp: stampOf(stat), ...(size <= keepBytes ? { content: Buffer.concat(chunks) } : {}) };
    } finally {
      await handle.close();
    }
  }

  /**
   * Replaces `name` atomically: hidden temp file (O_EXCL|O_NOFOLLOW), write, fsync, rename, fsync the
   * directory. A crash leaves the old file or the new one, plus at worst a temp file that
   * removeStaleTemps() deletes.
   */
  async writeAtomic(name: string, content: Uint8Array): Promise<void> {
    await this.requireRegularOrMissing(name);
    const temp = tempName();
    const handle = await open(this.at(temp), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
    try {
      try {
        await handle.writeFile(content);
        await handle.chmod(0o644);
        await handle.sync();
      } finally {
        await handle.close();
      }
      // rename(2) replaces whatever entry has the name (even a symlink planted since the check above)
      // and never writes through it.
      await rename(this.at(temp), this.at(name));
    } catch (err) {
      await unlink(this.at(temp)).catch(() => undefined);
      throw err;
    }
    await this.handle.sync();
  }

  /** Deletes a regular file, never a symlink or directory. */
  async removeFile(name: string): Promise<void> {
    await this.requireRegularOrMissing(name);
    await unlink(this.at(name));
    await this.handle.sync();
  }

  /** Entries of this directory, typed as lstat sees them. */
  async entries(): Promise<{ name: string; kind: 'dir' | 'file' | 'symlink' | 'other' }[]> {
    const dirents = await readdir(this.at('.'), { withFileTypes: true });
    return dirents.map((d) => ({
      name: d.name,
      kind: d.isDirectory() ? 'dir' : d.isFile() ? 'file' : d.isSymbolicLink() ? 'symlink' : 'other',
    }));
  }

  /** Removes temp files left by a killed writer, in this directory and every real subdirectory. */
  async removeStaleTemps(): Promise<string[]> {
    const removed: string[] = [];
    for (const entry of await this.entries()) {
      if (entry.kind === 'file' && TEMP_FILE.test(entry.name)) {
        await unlink(this.at(entry.name));
        removed.push(this.relOf(entry.name));
      } else if (entry.kind === 'dir') {
        const sub = await this.sub(entry.name, false);
        if (sub === undefined) continue;
        try {
          removed.push(...(await sub.removeStaleTemps()));
        } finally {
          await sub.close();
        }
      }
    }
    if (removed.length > 0) await this.handle.sync();
    return removed;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  private async requireRegularOrMissing(name: string): Promise<void> {
    try {
      const stat = await lstat(this.at(name));
      if (!stat.isFile()) throw await this.notA('regular file', name);
    } catch (err) {
      if (errno(err) !== 'ENOENT') throw err;
    }
  }

  private async notA(what: string, name: string): Promise<UnsafePathError> {
    const rel = this.relOf(name);
    const stat = await lstat(this.at(name)).catch(() => undefined);
    if (stat?.isSymbolicLink()) return new UnsafePathError(`${rel} is a symbolic link; not followed`);
    return new UnsafePathError(`${rel} is not a ${what}`);
  }
}

/**
 * Runs `fn` with the directory that holds the last of `segments` (walked one real directory at a
 * time, created 0755 when `create`), or with undefined when a directory on the way does not exist.
 */
export function withParent<T>(root: Dir, segments: readonly string[], create: boolean, fn: (dir: Dir | undefined) => Promise<T>): Promise<T> {
  return withDir(root, segments.slice(0, -1), create, fn);
}

/** Runs `fn` with the directory `dirs` below the root (as withParent), or undefined when it does not exist. */
export async function withDir<T>(root: Dir, dirs: readonly string[], create: boolean, fn: (dir: Dir | undefined) => Promise<T>): Promise<T> {
  let dir: Dir | undefined = root;
  try {
    for (const segment of dirs) {
      const parent: Dir = dir;
      dir = undefined;
      try {
        dir = await parent.sub(segment, create);
      } finally {
        if (parent !== root) await parent.close();
      }
      if (dir === undefined) break;
    }
    return await fn(dir);
  } finally {
    if (dir !== undefined && dir !== root) await dir.close();
  }
}
