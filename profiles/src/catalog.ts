// The shipped profiles (profiles/catalog/*.json). Their names and descriptions live in one place,
// catalog/index.json, which the README table mirrors.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProfileError } from './issues.js';
import { parseProfile } from './parse.js';
import type { SeccompProfile } from './model.js';

export interface CatalogEntry {
  name: string;
  /** Absolute path of the profile file. */
  file: string;
  description: string;
  /** The file's exact text (what push sends when the profile is used as is). */
  text: string;
  profile: SeccompProfile;
}

interface IndexEntry {
  name: string;
  file: string;
  description: string;
}

/** profiles/catalog, found from this module's location (src/ or dist/ alike). */
export function catalogDir(): string {
  return fileURLToPath(new URL('../catalog/', import.meta.url));
}

function readIndex(text: string, file: string): IndexEntry[] {
  const data: unknown = JSON.parse(text);
  const valid = (e: unknown): e is IndexEntry =>
    typeof e === 'object' && e !== null && ['name', 'file', 'description'].every((k) => typeof (e as Record<string, unknown>)[k] === 'string');
  if (!Array.isArray(data) || !data.every(valid)) throw new ProfileError(`${file}: expected an array of {name, file, description}`);
  return data;
}

/** Every catalog profile, parsed; throws ProfileError naming the file when one does not parse. */
export async function loadCatalog(): Promise<CatalogEntry[]> {
  const dir = catalogDir();
  const indexFile = join(dir, 'index.json');
  const index = readIndex(await readFile(indexFile, 'utf8'), indexFile);
  return Promise.all(
    index.map(async (e) => {
      const file = join(dir, e.file);
      const text = await readFile(file, 'utf8');
      const parsed = parseProfile(text, file);
      if (!parsed.ok) throw new ProfileError(`catalog profile ${e.name} does not parse`, parsed.errors);
      return { name: e.name, file, description: e.description, text, profile: parsed.profile };
    }),
  );
}
