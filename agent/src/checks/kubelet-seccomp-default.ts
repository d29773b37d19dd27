import type { CheckResult } from '@kubectl-seccomp/proto';
import type { NodeFacts } from './facts.js';
import { effectiveSeccompDefault, restartHint } from './kubelet-settings.js';
import { pass, skip, warn } from './result.js';

const ID = 'kubelet.seccomp-default';

function howToEnable(facts: NodeFacts): string {
  const k = facts.kubelet;
  if (!k) return '';
  if (k.kind === 'k3s') {
    return `Add "seccomp-default=true" to kubelet-arg in /etc/rancher/k3s/config.yaml (or --kubelet-arg=seccomp-default=true), then ${restartHint(k.kind)}.`;
  }
  if (k.kind === 'kubelite') {
    return `Add --seccomp-default=true to /var/snap/microk8s/current/args/kubelet, then ${restartHint(k.kind)}.`;
  }
  const config = k.configs[0]?.path ?? k.flags['config'];
  const where = config ? `"seccompDefault: true" in ${config}` : '"seccompDefault: true" in the kubelet config file';
  return `Set ${where} or add --seccomp-default to the kubelet's flags, then ${restartHint(k.kind)}.`;
}

export function checkKubeletSeccompDefault(facts: NodeFacts): CheckResult {
  const k = facts.kubelet;
  if (!k) return skip(ID, 'no kubelet found');
  const sd = effectiveSeccompDefault(k);
  if (sd.value === undefined) {
    return warn(ID, 'seccompDefault cannot be determined', sd.error, howToEnable(facts));
  }
  if (sd.value) {
    return pass(ID, 'seccompDefault is on: pods without a profile run RuntimeDefault', `Set by ${sd.source}.`);
  }
  return warn(
    ID,
    'seccompDefault is off: pods without a seccompProfile run Unconfined',
    `Set by ${sd.source}. Only pods that ask for RuntimeDefault or Localhost get a filter.`,
    howToEnable(facts),
  );
}
