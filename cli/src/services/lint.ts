import { readFile } from 'node:fs/promises';
import { lintProfile, locateIssues, parseProfile, type ProfileIssue } from '@kubectl-seccomp/profiles';
import type { LintFile, LintOutput } from '../output/types.js';
import { findProfileFiles } from './profile-files.js';

export const STDIN = '-';

/** Parses and lints every file ("-" is stdin); a file that does not parse reports its errors. */
export async function lintPaths(args: readonly string[], readStdin: () => Promise<string>, opts: { allowUnknown?: boolean } = {}): Promise<LintOutput> {
  const files: LintFile[] = [];
  for (const arg of args) {
    if (arg === STDIN) {
      files.push({ file: STDIN, issues: lintText(await readStdin(), STDIN, opts.allowUnknown) });
      continue;
    }
    for (const found of await findProfileFiles([arg])) {
      files.push({ file: found.file, issues: lintText(await readFile(found.file), found.file, opts.allowUnknown) });
    }
  }
  return { files, summary: summarize(files) };
}

function lintText(text: string | Uint8Array, source: string, allowUnknown = false): ProfileIssue[] {
  const parsed = parseProfile(text, source);
  if (!parsed.ok) return parsed.errors;
  // Lint findings carry a JSON pointer only: give each the line:column of its node in the text.
  const findings = lintProfile(parsed.profile, { source, allowUnknown });
  return findings.length === 0 ? findings : locateIssues(typeof text === 'string' ? text : new TextDecoder().decode(text), findings);
}

function summarize(files: LintFile[]): LintOutput['summary'] {
  const issues = files.flatMap((f) => f.issues);
  const count = (severity: ProfileIssue['severity']): number => issues.filter((i) => i.severity === severity).length;
  return { files: files.length, errors: count('error'), warnings: count('warning'), infos: count('info') };
}

/** 1 when any error (with strict: any warning), else 0. */
export function lintExitCode(out: LintOutput, strict: boolean): number {
  return out.summary.errors > 0 || (strict && out.summary.warnings > 0) ? 1 : 0;
}
