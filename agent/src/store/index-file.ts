/**
 * The store's record of the files it manages, kept inside the root at .kubectl-seccomp/index.json
 * (hidden, so never listed and never a valid request path). Only files recorded here can be pruned.
 */
import { pathProblem } from './paths.js';
import type { Dir, RegularRead } from './safe-fs.js';
import type { StampCache } from './stamp-cache.js';

export const INDEX_DIR = '.kubectl-seccomp';
export const INDEX_FILE = 'index.json';
const MAX_INDEX_BYTES = 64 * 1024 * 1024;

/** Who asked for a file: a client over the API ('direct') or the ConfigMap reconciler. */
export type Origin = 'direct' | 'configmap';

export interface IndexEntry {
  sha256: string;
  /**
   * Set only while a write is in flight: the content being replaced. A crash between the index
   * write and the rename leaves either sha on disk, and both still count as ours.
   */
  previous?: string;
  origin: Origin;
}

export type Index = ReadonlyMap<string, IndexEntry>;

export interface IndexLoad {
  index: Map<string, IndexEntry>;
  /** Why (part of) the index was ignored; empty when it was read cleanly. */
  problems: string[];
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Parses the index. A damaged index manages less, never more: bad entries are dropped, so at worst
 * a file of ours is treated as someone else's and left alone.
 */
export function parseIndex(text: string): IndexLoad {
  const index = new Map<string, IndexEntry>();
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { index, problems: [`${INDEX_DIR}/${INDEX_FILE}: ${(err as Error).message}`] };
  }
  const files = (doc as { files?: unknown } | null)?.files;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) {
    return { index, problems: [`${INDEX_DIR}/${INDEX_FILE}: no "files" object`] };
  }
  const problems: string[] = [];
  for (const [path, value] of Object.entries(files)) {
    const entry = value as Partial<IndexEntry> | null;
    const ok =
      pathProblem(path) === undefined &&
      typeof entry?.sha256 === 'string' &&
      SHA256_HEX.test(entry.sha256) &&
      (entry.previous === undefined || (typeof entry.previous === 'string' && SHA256_HEX.test(entry.previous))) &&
      (entry.origin === 'direct' || entry.origin === 'configmap');
    if (!ok) {
      problems.push(`${INDEX_DIR}/${INDEX_FILE}: entry ${JSON.stringify(path)} ignored`);
      continue;
    }
    index.set(path, {
      sha256: entry.sha256 as string,
      origin: entry.origin as Origin,
      ...(entry.previous !== undefined ? { previous: entry.previous } : {}),
    });
  }
  return { index, problems };
}

export function serializeIndex(index: Index): string {
  const files: Record<string, IndexEntry> = {};
  for (const path of [...index.keys()].sort()) files[path] = index.get(path) as IndexEntry;
  return `${JSON.stringify({ version: 1, files }, null, 2)}\n`;
}

/** Reads the index; `cache` spares re-reading and re-parsing it while it is unchanged on disk. */
export async function readIndex(root: Dir, cache: StampCache<IndexLoad>): Promise<IndexLoad> {
  const dir = await root.sub(INDEX_DIR, false);
  if (dir === undefined) return { index: new Map(), problems: [] };
  try {
    const derive = (read: RegularRead): IndexLoad =>
      read.content === undefined ? { index: new Map(), problems: [`${INDEX_DIR}/${INDEX_FILE}: too large`] } : parseIndex(read.content.toString('utf8'));
    const load = await cache.read(dir, INDEX_FILE, INDEX_FILE, MAX_INDEX_BYTES, derive);
    // A copy: callers may change the map they get, and the cache keeps this one.
    return load === undefined ? { index: new Map(), problems: [] } : { index: new Map(load.index), problems: load.problems };
  } finally {
    await dir.close();
  }
}

export async function writeIndex(root: Dir, index: Index): Promise<void> {
  const dir = await root.sub(INDEX_DIR, true);
  if (dir === undefined) throw new Error(`${INDEX_DIR}: could not be created`);
  try {
    await dir.writeAtomic(INDEX_FILE, Buffer.from(serializeIndex(index)));
  } finally {
    await dir.close();
  }
}
