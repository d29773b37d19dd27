import type { CheckResult } from '@kubectl-seccomp/proto';
import path from 'node:path';
import type { NodeFacts } from './facts.js';
import { kubeletProfileRoot } from './kubelet-settings.js';
import { fail, pass, skip, warn } from './result.js';

const ID = 'kubelet.root-dir';

function samePath(a: string, b: string): boolean {
  return path.posix.relative(a, b) === '';
}

export function checkKubeletRootDir(facts: NodeFacts): CheckResult {
  const k = facts.kubelet;
  if (!k) return skip(ID, 'no kubelet found: cannot tell where it looks for profiles');
  const expected = kubeletProfileRoot(k);
  const dir = facts.profileDir;
  if (dir.hostPath === undefined) {
    return warn(
      ID,
      `cannot relate the profile dir ${dir.path} to the host`,
      `The profile dir is not under the host root ${facts.hostRoot}, so the agent cannot tell whether it is the kubelet's ${expected}.`,
      `Run the agent with its profile dir under the host root, e.g. ${facts.hostRoot.replace(/\/$/, '')}${expected}.`,
    );
  }
  if (samePath(dir.hostPath, expected)) return pass(ID, `profiles go where the kubelet reads them: ${expected}`);
  // The same dir reached through a symlink on either side still works.
  if (dir.resolvedHostPath !== undefined && facts.kubeletRootResolved !== undefined) {
    const resolvedExpected = k.flags['seccomp-profile-root'] ? undefined : `${facts.kubeletRootResolved.replace(/\/$/, '')}/seccomp`;
    if (resolvedExpected !== undefined && samePath(resolvedExpected, dir.resolvedHostPath)) {
      return pass(ID, `profiles go where the kubelet reads them: ${expected}`, `Through symlinks: both are ${resolvedExpected}.`);
    }
  }
  return fail(
    ID,
    `pods would not find pushed profiles: the agent writes ${dir.hostPath}, the kubelet reads ${expected}`,
    `The kubelet resolves localhostProfile relative to ${expected} (from its ${k.flags['seccomp-profile-root'] ? '--seccomp-profile-root' : '--root-dir'}); pods referencing pushed profiles would fail with CreateContainerError.`,
    `Point the agent's profile dir at ${expected} (mount the host path ${expected} and pass it as the agent's profile dir).`,
  );
}
