// A profile file checked the way `lint` and `push` check one: parsed and validated, then linted, each
// finding placed at its line:column in the same parse.
import { lintProfile, type LintOptions } from './lint.js';
import { locateIssues } from './locate.js';
import type { ProfileIssue, SeccompProfile } from './model.js';
import { parseProfileText } from './parse.js';

export interface CheckedProfile {
  /** Absent when the text is not a valid profile (then `issues` says why, all errors). */
  profile?: SeccompProfile;
  /** Parse and validation errors, or else lint findings, each with line:column. */
  issues: ProfileIssue[];
}

export function checkProfileText(text: string | Uint8Array, source: string, opts: Omit<LintOptions, 'source'> = {}): CheckedProfile {
  const { result, tree } = parseProfileText(text, source);
  if (!result.ok) return { issues: result.errors };
  const findings = lintProfile(result.profile, { ...opts, source });
  return { profile: result.profile, issues: tree ? locateIssues(tree.root, tree.lines, findings) : findings };
}
