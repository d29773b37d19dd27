import { open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSavedState, serializeSavedState, type SavedState } from './positions.js';

export const STATE_FILE = 'positions.json';

/** The saved state in `dir`, 'missing' when there is none yet, 'unreadable' when it is damaged. */
export async function readStateFile(dir: string): Promise<SavedState | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(join(dir, STATE_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
  return parseSavedState(text);
}

/** Temp file, fsync, rename: a crash leaves the old state or the new one, never half of one. */
export async function writeStateFile(dir: string, state: SavedState): Promise<void> {
  const target = join(dir, STATE_FILE);
  const temp = `${target}.${process.pid}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(serializeSavedState(state));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, target);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}
