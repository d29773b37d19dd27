import { archFromMachine } from '@kubectl-seccomp/profiles';
import type { NodeInfo } from '@kubectl-seccomp/proto';
import { kubeletRootDir } from '../host/kubelet-flags.js';
import type { NodeFacts } from './facts.js';
import { activeContainerRuntime, activeOciRuntime, supportsFilterFlagLog } from './runtime-select.js';

function architectures(machine: string): string[] {
  const arch = archFromMachine(machine);
  return arch ? [arch.scmp, ...arch.compat] : [];
}

export function nodeInfo(facts: NodeFacts): NodeInfo {
  const runtime = activeContainerRuntime(facts);
  const oci = activeOciRuntime(facts);
  return {
    nodeName: facts.nodeName,
    agentVersion: facts.agentVersion,
    kernelRelease: facts.kernel.release,
    machine: facts.kernel.machine,
    profileDir: facts.profileDir.hostPath ?? facts.profileDir.path,
    kubeletRootDir: facts.kubelet ? kubeletRootDir(facts.kubelet.flags) : '',
    containerRuntime: runtime?.name ?? '',
    containerRuntimeVersion: runtime?.version ?? '',
    ociRuntime: oci?.name ?? '',
    ociRuntimeVersion: oci?.version ?? '',
    filterFlagLogSupported: supportsFilterFlagLog(oci),
    architectures: architectures(facts.kernel.machine),
  };
}
