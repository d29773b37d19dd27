import type { CheckResult } from '@kubectl-seccomp/proto';
import type { NodeFacts } from './facts.js';
import { restartHint } from './kubelet-settings.js';
import { pass, skip, warn } from './result.js';

const ID = 'kubelet.seccomp-profile-root';

export function checkKubeletSeccompProfileRoot(facts: NodeFacts): CheckResult {
  const k = facts.kubelet;
  if (!k) return skip(ID, 'no kubelet found');
  const root = k.flags['seccomp-profile-root'];
  if (root === undefined) return pass(ID, '--seccomp-profile-root is not set');
  return warn(
    ID,
    `the removed flag --seccomp-profile-root=${root} is set`,
    'The flag was removed in Kubernetes 1.23 (newer kubelets refuse to start with it), so this kubelet is older and looks up Localhost profiles in that dir instead of <root-dir>/seccomp.',
    `Upgrade the kubelet and remove --seccomp-profile-root; profiles then live in <root-dir>/seccomp. Afterwards ${restartHint(k.kind)}.`,
  );
}
