import type { CheckResult } from '@kubectl-seccomp/proto';
import type { NodeFacts } from './facts.js';
import { activeContainerRuntime } from './runtime-select.js';
import { pass, skip, warn } from './result.js';

const ID = 'runtime.container';

export function checkContainerRuntime(facts: NodeFacts): CheckResult {
  const active = activeContainerRuntime(facts);
  if (!active) {
    const summary = 'no containerd, CRI-O or docker process found';
    if (facts.hostRoot === '/' && !facts.kubelet) return skip(ID, summary);
    return warn(
      ID,
      summary,
      'The container runtime applies the seccomp profiles; without seeing it the agent cannot tell how.',
      `Check that ${facts.hostRoot.replace(/\/$/, '')}/proc is the host's /proc.`,
    );
  }
  const others = facts.runtime.containerRuntimes.filter((r) => r !== active).map((r) => r.name);
  const version = active.version ? ` ${active.version}` : '';
  return pass(
    ID,
    `${active.name}${version} (pid ${active.pid})`,
    [
      active.version ? '' : 'Version not knowable from the host root without running the binary; the node status (kubectl get node -o wide) shows it.',
      others.length ? `Also running: ${others.join(', ')}.` : '',
    ]
      .filter(Boolean)
      .join(' '),
  );
}
