import type { CheckResult } from '@kubectl-seccomp/proto';
import type { NodeFacts } from './facts.js';
import { pass, skip, warn } from './result.js';

const ID = 'kubelet.process';

export function checkKubeletProcess(facts: NodeFacts): CheckResult {
  const procDir = `${facts.hostRoot.replace(/\/$/, '')}/proc`;
  if (facts.processCount === 0) {
    return warn(
      ID,
      `no processes visible in ${procDir}`,
      "The agent reads the host's processes from the host /proc mounted under its host root; without it the kubelet, the container runtime and the containers cannot be checked.",
      `Mount the host's /proc at ${procDir} (hostPath volume of / or /proc).`,
    );
  }
  const k = facts.kubelet;
  const { ambiguous, ignored } = facts.kubeletSearch;
  const ruledOut = ignored.map((i) => `pid ${i.pid} (${i.reason})`).join(', ');
  if (ambiguous.length > 0) {
    return warn(
      ID,
      `${ambiguous.length} processes could be the kubelet (pids ${ambiguous.join(', ')}); none was chosen`,
      'Each is a root process outside any container named like a kubelet, and none runs in a kubelet systemd unit. The kubelet checks are skipped and the profile dir is the default, rather than trusting one of them by chance.',
      'Pass --profile-dir to the agent, or run the kubelet in its systemd unit (kubelet.service).',
    );
  }
  if (!k) {
    const summary = `no kubelet process among ${facts.processCount} processes in ${procDir}`;
    const detail = `Looked for a root process outside any container named kubelet, k3s server/agent or microk8s kubelite.${ruledOut ? ` Ruled out: ${ruledOut}.` : ''} Kubelet checks are skipped.`;
    // Locally, a machine without a kubelet is normal (a laptop testing profiles with docker).
    if (facts.hostRoot === '/') return skip(ID, summary, detail);
    return warn(
      ID,
      summary,
      `${detail} The host /proc may be a different PID namespace than the node's, or this node runs the kubelet in a way this agent does not recognise.`,
      `Check that ${procDir} is the node's /proc (hostPath /proc), not the pod's own.`,
    );
  }
  const flags = Object.keys(k.flags).length;
  return pass(
    ID,
    `${k.kind === 'kubelet' ? 'kubelet' : `kubelet inside ${k.kind}`} found (pid ${k.pid})`,
    `${flags} kubelet flags read.${ruledOut ? ` Look-alikes ruled out: ${ruledOut}.` : ''}`,
  );
}
