import type { CheckResult } from '@kubectl-seccomp/proto';
import { isWithin } from '../host/resolve.js';
import type { NodeFacts } from './facts.js';
import { fail, pass, warn } from './result.js';

const ID = 'profiles.dir';

const WRITE_ERRORS: Record<string, string> = {
  EROFS: 'it is on a read-only mount',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

export function checkProfileDir(facts: NodeFacts): CheckResult {
  const dir = facts.profileDir;
  // Users know the node's paths; the agent's own view of it is an implementation detail.
  const name = dir.hostPath ?? dir.path;
  if (!dir.exists && dir.isSymlink) {
    return fail(
      ID,
      `profile dir ${name} is a symlink the agent cannot follow`,
      `On the host it leads to ${dir.resolvedHostPath ?? '?'}; in the agent's filesystem it leads nowhere, so pushes could not land where the kubelet reads.`,
      `Mount the real directory ${dir.resolvedHostPath ?? ''} as the profile dir instead of a path through a symlink.`,
    );
  }
  if (!dir.exists) {
    return warn(
      ID,
      `profile dir ${name} does not exist`,
      'Pods with a Localhost profile fail with CreateContainerError until their profile file is there.',
      `Create it (mkdir -p ${name} on the node) or mount the kubelet's seccomp dir into the agent, then push the profiles.`,
    );
  }
  if (!dir.isDirectory) {
    return fail(ID, `profile dir ${name} is not a directory`, '', `Replace ${name} with a directory.`);
  }
  if (!dir.writable) {
    const why = WRITE_ERRORS[dir.writeError] ?? dir.writeError;
    return fail(
      ID,
      `profile dir ${name} is not writable by the agent: ${why}`,
      'Push cannot install or update profiles on this node.',
      'Mount the kubelet seccomp dir read-write into the agent and run the agent as a user that may write it.',
    );
  }
  if (dir.hostPath !== undefined && dir.resolvedHostPath !== dir.agentRealHostPath) {
    // The agent's own writes follow symlinks in the agent's filesystem; the kubelet follows them
    // on the host. An absolute link under a host root makes the two differ.
    return fail(
      ID,
      `profile dir ${name} is a symlink that leaves the host root`,
      `The agent would write to ${dir.agentRealPath ?? '?'} while the host sees ${dir.resolvedHostPath ?? '?'}.`,
      `Mount the real directory ${dir.resolvedHostPath ?? ''} as the profile dir instead of a path through a symlink.`,
    );
  }
  if (dir.isSymlink && dir.resolvedHostPath !== undefined && facts.kubeletRootResolved !== undefined) {
    if (!isWithin(facts.kubeletRootResolved, dir.resolvedHostPath)) {
      return warn(
        ID,
        `profile dir ${name} is a symlink out of the kubelet root`,
        `It leads to ${dir.resolvedHostPath}, outside ${facts.kubeletRootResolved}. It works, but the profiles live somewhere the kubelet's root dir does not account for.`,
        `Make ${name} a plain directory.`,
      );
    }
  }
  return pass(ID, `profile dir ${name} is a writable directory`);
}
