import { readFile } from 'node:fs/promises';
import { basename, posix } from 'node:path';
import { checkProfileText, loadCatalog, type ProfileIssue, type SeccompProfile } from '@kubectl-seccomp/profiles';
import { UserError } from '../../errors.js';
import { findProfileFiles } from '../profile-files.js';

/** A profile read and validated on this machine, with where it goes on the nodes. */
export interface LocalProfile {
  /** The file, or "catalog:NAME". */
  source: string;
  /** Relative to the agent's profile dir: PREFIX/PATH-INSIDE-THE-DIR-ARGUMENT. */
  path: string;
  profile: SeccompProfile;
}

export interface LoadOptions {
  /** Lint: an unknown syscall name in an ALLOW rule is a warning, not an error. */
  allowUnknown?: boolean;
  /** Told each file's lint warnings (one line each) before anything is sent. */
  warn?: (line: string) => void;
}

/**
 * The given files and dirs (or the shipped catalog when none), every one parsed, validated and
 * linted. Any invalid profile or lint error fails the whole push before anything is sent
 * (UserError, exit 1); lint warnings go to `warn`, file by file.
 */
export async function loadLocalProfiles(args: readonly string[], prefix: string, opts: LoadOptions = {}): Promise<LocalProfile[]> {
  const dir = normalizePrefix(prefix);
  const profiles: LocalProfile[] = [];
  const errors: ProfileIssue[] = [];
  if (args.length === 0) {
    for (const entry of await loadCatalog()) {
      profiles.push({ source: `catalog:${entry.name}`, path: posix.join(dir, basename(entry.file)), profile: entry.profile });
    }
  } else {
    for (const found of await findProfileFiles(args)) {
      const checked = checkProfileText(await readFile(found.file), found.file, { allowUnknown: opts.allowUnknown });
      errors.push(...checked.issues.filter((i) => i.severity === 'error'));
      for (const w of checked.issues.filter((i) => i.severity === 'warning')) opts.warn?.(`warning:${formatIssue(w)}`);
      if (checked.profile) profiles.push({ source: found.file, path: posix.join(dir, found.rel), profile: checked.profile });
    }
  }
  if (errors.length > 0) throw new UserError(`invalid profiles, nothing was pushed:\n${errors.map(formatIssue).join('\n')}`, 1);
  assertDistinctPaths(profiles);
  return profiles;
}

/** "" or a relative dir without "." / ".." segments: the agent would refuse anything else. */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  if (trimmed === '') return '';
  const segments = trimmed.split('/');
  if (trimmed.startsWith('/') || segments.some((s) => s === '' || s === '.' || s === '..') || trimmed.includes('\0')) {
    throw new UserError(`--prefix "${prefix}": must be a relative directory without "." or ".." parts`);
  }
  return trimmed;
}

function assertDistinctPaths(profiles: LocalProfile[]): void {
  const bySource = new Map<string, string>();
  for (const p of profiles) {
    const other = bySource.get(p.path);
    if (other !== undefined) throw new UserError(`${other} and ${p.source} would both be pushed as ${p.path}`, 1);
    bySource.set(p.path, p.source);
  }
}

function formatIssue(issue: ProfileIssue): string {
  const at = issue.line === undefined ? '' : `:${issue.line}:${issue.column ?? 1}`;
  return `  ${issue.source}${at} ${issue.path || '/'}: ${issue.message} (${issue.code})`;
}
