import type { CheckResult } from '@kubectl-seccomp/proto';
import type { NodeFacts } from './facts.js';
import { pass, skip, warn } from './result.js';

const ID = 'kubelet.config';

export function checkKubeletConfig(facts: NodeFacts): CheckResult {
  const k = facts.kubelet;
  if (!k) return skip(ID, 'no kubelet found');
  if (k.configs.length === 0) return pass(ID, 'no kubelet config file (flags and defaults apply)');
  const bad = k.configs.filter((c) => c.error);
  if (bad.length === 0) {
    return pass(ID, `kubelet config read: ${k.configs.map((c) => c.path).join(', ')}`);
  }
  return warn(
    ID,
    `kubelet config not usable: ${bad.map((c) => c.path).join(', ')}`,
    bad.map((c) => `${c.path}: ${c.error}`).join('\n'),
    `Make the file readable by the agent (mount it under the host root) or fix it; until then seccompDefault is judged from the flags only.`,
  );
}
