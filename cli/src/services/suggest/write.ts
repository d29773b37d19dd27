import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { lintProfile, parseProfile, serializeProfile } from '@kubectl-seccomp/profiles';
import type { SeccompProfile } from '@kubectl-seccomp/profiles';
import { UserError } from '../../errors.js';
import type { ContainerObservation, ObservedSyscalls } from './observed.js';
import { suggestProfile } from './suggest.js';
import { shortId, UNNAMED } from '../watch/attribution.js';

export interface WrittenSuggestion {
  /** "" when nothing was written for this scope (violations that could not be tied to a pod, in DIR/ mode). */
  file: string;
  /** "namespace/pod/container", or "all containers" for a merged file. */
  scope: string;
  added: string[];
  alreadyAllowed: string[];
  unnamed: string[];
  notes: string[];
  /** Syscalls in this suggestion that were seen only from processes with no pod known. */
  fromUnattributed: string[];
}

/** Reads and validates --base; a broken base is the user's error, named with file and field. */
export async function loadBase(file: string): Promise<SeccompProfile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UserError(`--base ${file}: ${(err as Error).message}`);
  }
  const parsed = parseProfile(text, file);
  if (!parsed.ok) {
    const first = parsed.errors.map((e) => `${e.path || '/'}: ${e.message}`).join('; ');
    throw new UserError(`--base ${file} is not a valid seccomp profile: ${first}`);
  }
  return parsed.profile;
}

/** --suggest DIR/ (or an existing directory) means one file per container; anything else one merged file. */
export async function perContainer(path: string): Promise<boolean> {
  if (path.endsWith('/')) return true;
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Fails before the watch starts when the suggestion could not be written at its end: the user would
 * lose what the watch observed.
 */
export async function checkSuggestPath(path: string): Promise<void> {
  const dir = (await perContainer(path)) ? dirname(path.replace(/\/+$/, '')) : dirname(path);
  let ok = false;
  try {
    ok = (await stat(dir)).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new UserError(`--suggest ${path}: the directory ${dir} does not exist`);
}

/** A part of a file name that cannot escape the directory (nor hold the "_" between parts). */
export const fileNamePart = (s: string): string => s.replace(/[^A-Za-z0-9.-]/g, '-') || 'unknown';

/** A file name from namespace/pod/container that cannot escape the directory. */
export function containerFileName(o: Pick<ContainerObservation, 'namespace' | 'pod' | 'container'>): string {
  const safe = fileNamePart;
  return `${safe(o.namespace)}_${safe(o.pod)}_${safe(o.container)}.json`;
}

function scopeOf(o: ContainerObservation): string {
  return [o.namespace || '?', o.pod || '?', o.container || '?'].join('/');
}

/** Builds, re-parses and lints one suggestion, then writes it: a suggestion that would not load is never written. */
export async function writeSuggestion(file: string, scope: string, o: ContainerObservation, base: SeccompProfile | undefined): Promise<WrittenSuggestion> {
  const s = suggestProfile(o.syscalls, base, o.arches);
  const text = serializeProfile(s.profile);
  const reparsed = parseProfile(text, file);
  const issues = reparsed.ok ? lintProfile(reparsed.profile, { source: file }) : reparsed.errors;
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) {
    throw new UserError(`the suggested profile for ${scope} does not validate: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  }
  try {
    await writeFile(file, text.endsWith('\n') ? text : `${text}\n`);
  } catch (err) {
    throw new UserError(`cannot write the suggested profile ${file}: ${(err as Error).message}`);
  }
  return { file, scope, added: s.added, alreadyAllowed: s.alreadyAllowed, unnamed: [...o.unnamed].sort(), notes: s.notes, fromUnattributed: [] };
}

/** Syscalls seen from processes no pod was known for, and from no named container. */
function onlyUnattributed(observed: ObservedSyscalls): string[] {
  const named = new Set<string>();
  const other = new Set<string>();
  for (const o of observed.containers()) for (const s of o.syscalls) (o.attribution === 'pod' ? named : other).add(s);
  return [...other].filter((s) => !named.has(s)).sort();
}

/** In DIR/ mode, what was seen without a pod to name a file after: reported, never written. */
function unwritten(o: ContainerObservation): WrittenSuggestion {
  const scope = o.attribution === 'container' ? `container ${shortId(o.containerId)} (no pod known)` : UNNAMED;
  return {
    file: '',
    scope,
    added: [...o.syscalls].sort(),
    alreadyAllowed: [],
    unnamed: [...o.unnamed].sort(),
    notes: [],
    fromUnattributed: [...o.syscalls].sort(),
  };
}

/**
 * Writes the suggestion(s) for what was observed. One file per container (namespace_pod_container.json)
 * when path is a directory, otherwise one profile covering every container seen.
 */
export async function writeSuggestions(path: string, observed: ObservedSyscalls, base?: SeccompProfile): Promise<WrittenSuggestion[]> {
  if (!(await perContainer(path))) {
    // One profile for everything seen: what unnamed processes did is in it too, and said so.
    return [{ ...(await writeSuggestion(path, 'all containers', observed.merged(), base)), fromUnattributed: onlyUnattributed(observed) }];
  }
  await mkdir(path, { recursive: true });
  const out: WrittenSuggestion[] = [];
  for (const o of observed.containers()) {
    out.push(o.attribution === 'pod' ? await writeSuggestion(join(path, containerFileName(o)), scopeOf(o), o, base) : unwritten(o));
  }
  return out;
}
