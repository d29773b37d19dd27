import type { Dir, FileStamp, RegularRead } from './safe-fs.js';

/**
 * A file must have been unchanged this long before it was read for what was read to be kept.
 * Timestamps have a granularity (a kernel tick, up to a second on some filesystems): a write in
 * the same tick as the read could leave mtime and ctime as they were. A write after the read gets
 * a later ctime; keeping only files older than this margin keeps the two apart.
 */
export const SETTLE_MS = 2_000;

/**
 * More files than any profile dir holds. Past it new files are not kept (those kept still save their
 * reads): clearing instead made every listing of a larger dir read every file.
 */
export const MAX_ENTRIES = 10_000;

/**
 * What was derived from files (digest, parse result), by path, trusted only while the file's
 * stamp is exactly the one it had when it was read: a lookup still costs an lstat, never a read.
 * A file edited or replaced by anyone, even without going through the store, is read again.
 */
export class StampCache<T> {
  readonly #entries = new Map<string, { key: string; value: T }>();

  /** Whether anything is kept for path: without it, a stamp would be taken for nothing. */
  has(path: string): boolean {
    return this.#entries.has(path);
  }

  get(path: string, stamp: FileStamp): T | undefined {
    const entry = this.#entries.get(path);
    if (entry === undefined) return undefined;
    if (entry.key === stamp.key) return entry.value;
    this.#entries.delete(path);
    return undefined;
  }

  /**
   * `stamp` is the one the file had when the read that produced `value` began (fstat of the open
   * file), `readAtMs` the clock just before: a file changed less than SETTLE_MS before is not kept.
   */
  set(path: string, stamp: FileStamp, value: T, readAtMs: number): void {
    if (stamp.changedMs > readAtMs - SETTLE_MS) {
      this.#entries.delete(path);
      return;
    }
    if (this.#entries.size >= MAX_ENTRIES && !this.#entries.has(path)) return;
    this.#entries.set(path, { key: stamp.key, value });
  }

  /**
   * What `derive` makes of file `name` in `dir` (kept here under `path`): the kept value while the
   * file's stamp is unchanged and `usable` accepts it (one lstat), otherwise from a read of the file
   * (its bytes when at most `keepBytes`), kept for next time. undefined when there is no such file.
   */
  async read(
    dir: Dir,
    name: string,
    path: string,
    keepBytes: number,
    derive: (read: RegularRead) => T,
    usable: (kept: T) => boolean = () => true,
  ): Promise<T | undefined> {
    if (this.has(path)) {
      const stamp = await dir.stamp(name);
      if (stamp === undefined) {
        this.delete(path);
        return undefined;
      }
      const kept = this.get(path, stamp);
      if (kept !== undefined && usable(kept)) return kept;
    }
    const readAt = Date.now();
    const read = await dir.readRegular(name, keepBytes);
    if (read === undefined) return undefined;
    const value = derive(read);
    this.set(path, read.stamp, value, readAt);
    return value;
  }

  delete(path: string): void {
    this.#entries.delete(path);
  }

  /** Forgets every path but these (a full listing just saw what exists), so gone files free their room. */
  retainOnly(paths: ReadonlySet<string>): void {
    for (const path of this.#entries.keys()) if (!paths.has(path)) this.#entries.delete(path);
  }

  get size(): number {
    return this.#entries.size;
  }
}
