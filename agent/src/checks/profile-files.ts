import type { CheckResult } from '@kubectl-seccomp/proto';
import { MAX_PROFILE_FILES } from '../host/profile-dir.js';
import type { NodeFacts } from './facts.js';
import { plural, pass, skip, warn } from './result.js';

const ID = 'profiles.files';

export function checkProfileFiles(facts: NodeFacts): CheckResult {
  const dir = facts.profileDir;
  if (!dir.exists || !dir.isDirectory) return skip(ID, 'no profile dir to look in');
  const count = `${plural(dir.files.length, 'profile file')}${dir.truncated ? ` (only the first ${MAX_PROFILE_FILES} looked at)` : ''}`;
  const bad = dir.files.filter((f) => f.error);
  if (bad.length === 0) return pass(ID, `${count}, all valid profiles`);
  return warn(
    ID,
    `${plural(bad.length, 'file')} of ${count} ${bad.length === 1 ? 'is' : 'are'} not a valid profile`,
    bad.map((f) => `${f.path}: ${f.error}`).join('\n'),
    'Fix or remove these files; a pod referencing one fails to start.',
  );
}
