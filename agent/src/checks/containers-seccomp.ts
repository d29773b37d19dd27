import type { CheckResult } from '@kubectl-seccomp/proto';
import type { NodeFacts } from './facts.js';
import { pass, plural, skip, warn } from './result.js';

const ID = 'containers.seccomp';

export function checkContainersSeccomp(facts: NodeFacts): CheckResult {
  const all = facts.containers;
  if (all.length === 0) return skip(ID, 'no running containers found');
  const unconfined = all.filter((c) => c.mode === 'disabled');
  const unknown = all.filter((c) => c.mode === 'unknown');
  const note = unknown.length ? ` Mode unknown for ${plural(unknown.length, 'container')} (status unreadable).` : '';
  if (unconfined.length === 0) {
    return pass(ID, `all ${plural(all.length - unknown.length, 'container')} run with a seccomp filter`, note.trim());
  }
  return warn(
    ID,
    `${unconfined.length} of ${plural(all.length, 'container')} run without seccomp`,
    unconfined.map((c) => `${c.containerId.slice(0, 12)} ${c.comm} (pid ${c.pid})`).join('\n') + (note ? `\n${note.trim()}` : ''),
    'Give these pods securityContext.seccompProfile (RuntimeDefault or Localhost), or turn on the kubelet\'s seccompDefault. Privileged containers always run unconfined.',
  );
}
