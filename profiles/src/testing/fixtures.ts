// Test helper: load fixture and catalog profiles from compiled tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseProfile } from '../parse.js';
import type { SeccompProfile } from '../model.js';

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
}

export function loadFixture(name: string): SeccompProfile {
  const r = parseProfile(readFileSync(fixturePath(name)), name);
  if (!r.ok) throw new Error(`fixture ${name} does not parse: ${JSON.stringify(r.errors)}`);
  return r.profile;
}
