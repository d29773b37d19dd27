import { readFile } from 'node:fs/promises';
import { checkProfileText, type ProfileIssue } from '@kubectl-seccomp/profiles';
import type { LintFile, LintOutput } from '../output/types.js';
import { findProfileFiles } from './profile-files.js';

export const STDIN = '-';

/** Parses and lints every file ("-" is stdin); a file that does not parse reports its errors. */
export async function lintPaths(args: readonly string[], readStdin: () => Promise<string>, opts: { allowUnknown?: boolean } = {}): Promise<LintOutput> {
  const files: LintFile[] = [];
  for (const arg of args) {
    if (arg === STDIN) {
      files.push({ file: STDIN, issues: checkProfileText(await readStdin(), STDIN, opts).issues });
      continue;
    }
    for (const found of await findProfileFiles([arg])) {
      files.push({ file: found.file, issues: checkProfileText(await readFile(found.file), found.file, opts).issues });
    }
  }
  return { files, summary: summarize(files) };
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
