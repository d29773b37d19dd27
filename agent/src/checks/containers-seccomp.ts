import type { CheckResult } from '@kubectl-seccomp/proto';
import type { NodeFacts } from './facts.js';
import { pass, plural, skip, warn } from './result.js';

const ID = 'containers.seccomp';

export function checkContainersSeccomp(facts: NodeFacts): CheckResult {
  const all = facts.containers;
  if (all.length === 0) return skip(ID, 'no running containers found');
  const unconfined = all.filter((c) => c.mode === 'disabled');
  const unknown = all.filter((c) => c.mode === 'unknown');
  if (unknown.length === all.length) return skip(ID, `seccomp mode unknown for all ${plural(all.length, 'container')} (status unreadable)`);
  const note = unknown.length ? ` Mode unknown for ${plural(unknown.length, 'container')} (status unreadable).` : '';
  if (unconfined.length === 0) {
    return pass(ID, `all ${plural(all.length - unknown.length, 'container')} run with a seccomp filter`, note.trim());
  }
  // The sandbox (pause) container gets a filter only from a pod-level seccompProfile.
  const pause = unconfined.some((c) => c.comm === 'pause') ? ' pause is a pod sandbox: only a pod-level seccompProfile (or seccompDefault) confines it.' : '';
  return warn(
    ID,
    `${unconfined.length} of ${plural(all.length, 'container')} run without seccomp`,
    [...unconfined.map((c) => `${c.containerId.slice(0, 12)} ${c.comm} (pid ${c.pid})`), `${note}${pause}`.trim()].filter(Boolean).join('\n'),
    "Give these pods securityContext.seccompProfile (RuntimeDefault or Localhost), or turn on the kubelet's seccompDefault. Privileged containers always run unconfined.",
  );
}
