import type { ProfileIssue } from './model.js';

/** True when any issue would stop a runtime (or this tool) from using the profile as written. */
export function hasErrors(issues: readonly ProfileIssue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

/** `file.json:3:5: error invalid-action: ... (at /syscalls/3/action)`, the form compilers use, so editors can jump to it. */
export function formatIssue(issue: ProfileIssue): string {
  const where = issue.line === undefined ? issue.source : `${issue.source}:${issue.line}:${issue.column ?? 1}`;
  const at = issue.path === '' ? '' : ` (at ${issue.path})`;
  return `${where}: ${issue.severity} ${issue.code}: ${issue.message}${at}`;
}

/** Thrown where a profile cannot be processed at all (flatten, catalog); carries the issues that explain why. */
export class ProfileError extends Error {
  readonly issues: ProfileIssue[];
  constructor(message: string, issues: ProfileIssue[] = []) {
    super(issues.length === 0 ? message : `${message}\n${issues.map(formatIssue).join('\n')}`);
    this.name = 'ProfileError';
    this.issues = issues;
  }
}

/** JSON pointer (RFC 6901) for a path of keys and indexes. */
export function jsonPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
