import type { ContainerOptions, Seccomp } from './containerd.js';
import type { CriMessage } from './containerd-cri.js';

/** The parts of a DaemonSet the kubelet turns into CRI calls (apps/v1 field names). */
interface PodSpecSubset {
  hostNetwork?: boolean;
  securityContext?: { seccompProfile?: { type: string; localhostProfile?: string } };
  containers: {
    name: string;
    image: string;
    command?: string[];
    args?: string[];
    env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
    securityContext?: {
      runAsUser?: number;
      privileged?: boolean;
      allowPrivilegeEscalation?: boolean;
      readOnlyRootFilesystem?: boolean;
      capabilities?: { add?: string[]; drop?: string[] };
      seccompProfile?: { type: string; localhostProfile?: string };
    };
    volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  }[];
  volumes?: { name: string; hostPath?: { path: string; type?: string }; emptyDir?: { medium?: string } }[];
}

export interface DaemonSetSubset {
  metadata: { name: string; namespace?: string };
  spec: { template: { spec: PodSpecSubset } };
}

export interface NodeLayout {
  nodeName: string;
  /** The kubelet's --root-dir: Localhost profiles resolve in <root>/seccomp. */
  kubeletRoot: string;
  /** Where a hostPath volume's path is on this test node (the real path, or a stand-in dir). */
  hostPath(path: string, type: string): string;
  /** The host dir backing an emptyDir volume. */
  emptyDir(name: string, medium: string | undefined): string;
}

/** `$(VAR)` in args, expanded from the container's env as the kubelet does; unknown ones stay. */
function expand(arg: string, env: Record<string, string>): string {
  return arg.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => env[name] ?? whole);
}

function seccompOf(profile: { type: string; localhostProfile?: string } | undefined, kubeletRoot: string): Seccomp | undefined {
  if (!profile) return undefined;
  if (profile.type === 'Localhost') return { type: 'Localhost', localhostRef: `${kubeletRoot}/seccomp/${profile.localhostProfile}` };
  if (profile.type === 'RuntimeDefault' || profile.type === 'Unconfined') return { type: profile.type };
  throw new Error(`seccompProfile type ${profile.type} not understood`);
}

/**
 * The CreateContainer of a DaemonSet's container the way the kubelet makes it: args with `$(VAR)`
 * expanded, env with the downward API's fieldRefs resolved, the securityContext in CRI terms
 * (capabilities without `CAP_`, allowPrivilegeEscalation false as no_new_privs), the container's or
 * else the pod's seccompProfile, and every volumeMount as a bind mount of its volume.
 */
export function containerFromDaemonSet(ds: DaemonSetSubset, container: string, node: NodeLayout): ContainerOptions {
  const pod = ds.spec.template.spec;
  const c = pod.containers.find((x) => x.name === container);
  if (!c) throw new Error(`${ds.metadata.name} has no container ${container}`);
  const fields: Record<string, string> = {
    'spec.nodeName': node.nodeName,
    'metadata.namespace': ds.metadata.namespace ?? 'default',
    'metadata.name': `${ds.metadata.name}-test`,
  };
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) {
    const path = e.valueFrom?.fieldRef?.fieldPath;
    if (path !== undefined && !(path in fields)) throw new Error(`env ${e.name}: fieldRef ${path} not resolved here`);
    env[e.name] = path !== undefined ? fields[path]! : (e.value ?? '');
  }
  const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
  const mounts = (c.volumeMounts ?? []).map((m) => {
    const v = volumes.get(m.name);
    if (!v) throw new Error(`volumeMount ${m.name} has no volume`);
    let hostPath: string;
    if (v.hostPath) hostPath = node.hostPath(v.hostPath.path, v.hostPath.type ?? '');
    else if (v.emptyDir) hostPath = node.emptyDir(v.name, v.emptyDir.medium);
    else throw new Error(`volume ${m.name}: only hostPath and emptyDir are understood`);
    return { containerPath: m.mountPath, hostPath, readonly: m.readOnly ?? false };
  });
  const sc = c.securityContext ?? {};
  const securityContext: CriMessage = {
    privileged: sc.privileged ?? false,
    readonly_rootfs: sc.readOnlyRootFilesystem ?? false,
    no_new_privs: sc.allowPrivilegeEscalation === false,
    capabilities: { add_capabilities: sc.capabilities?.add ?? [], drop_capabilities: sc.capabilities?.drop ?? [] },
    ...(sc.runAsUser !== undefined ? { run_as_user: { value: sc.runAsUser } } : {}),
  };
  return {
    name: c.name,
    image: c.image,
    command: c.command,
    args: (c.args ?? []).map((a) => expand(a, env)),
    env,
    mounts,
    seccomp: seccompOf(sc.seccompProfile ?? pod.securityContext?.seccompProfile, node.kubeletRoot),
    securityContext,
  };
}
