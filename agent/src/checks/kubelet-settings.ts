import path from 'node:path';
import { kubeletRootDir, parseBool } from '../host/kubelet-flags.js';
import type { KubeletFacts, KubeletKind } from '../host/kubelet.js';

/** What the kubelet will do, from its flags and config files: the facts several checks share. */

export type SeccompDefault = { value: boolean; source: string } | { value: undefined; source: string; error: string };

/** Flags win over config files; later drop-ins win over earlier files, as in the kubelet. */
export function effectiveSeccompDefault(kubelet: KubeletFacts): SeccompDefault {
  const flag = kubelet.flags['seccomp-default'];
  if (flag !== undefined) {
    const value = parseBool(flag);
    return value === undefined
      ? { value, source: 'flag --seccomp-default', error: `--seccomp-default=${flag} is not a boolean` }
      : { value, source: 'flag --seccomp-default' };
  }
  const fromConfig = kubelet.configs.filter((c) => c.seccompDefault !== undefined).at(-1);
  if (fromConfig?.seccompDefault !== undefined) return { value: fromConfig.seccompDefault, source: fromConfig.path };
  return { value: false, source: 'default (off)' };
}

/** Where this kubelet resolves `localhostProfile` (host path). */
export function kubeletProfileRoot(kubelet: KubeletFacts): string {
  // Kubelets before 1.23 honoured --seccomp-profile-root; it is gone since, and a newer kubelet
  // would refuse to start with it, so its presence means an old kubelet that uses it.
  const legacy = kubelet.flags['seccomp-profile-root'];
  if (legacy) return legacy;
  return path.posix.join(kubeletRootDir(kubelet.flags), 'seccomp');
}

/** The container runtime endpoint the kubelet talks to, "" when not set. */
export function runtimeEndpoint(kubelet: KubeletFacts | undefined): string {
  if (!kubelet) return '';
  return (
    kubelet.flags['container-runtime-endpoint'] ??
    kubelet.configs
      .map((c) => c.containerRuntimeEndpoint)
      .filter((e) => e !== undefined)
      .at(-1) ??
    ''
  );
}

/** How to apply a kubelet setting change on this kind of install. */
export function restartHint(kind: KubeletKind): string {
  switch (kind) {
    case 'k3s':
      return 'restart k3s (systemctl restart k3s, or k3s-agent on agents)';
    case 'kubelite':
      return 'restart microk8s (snap restart microk8s)';
    default:
      return 'restart the kubelet (systemctl restart kubelet)';
  }
}
