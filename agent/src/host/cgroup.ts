import type { ContainerRuntimeName } from './runtime.js';
/**
 * Which container and pod a process belongs to, read from its /proc/PID/cgroup. Covers cgroup v1 and
 * v2 and the layouts the kubelet's systemd and cgroupfs drivers, containerd, CRI-O and docker create.
 */

export interface CgroupIdentity {
  /** "" when the process is in a pod's cgroup but not in a container (e.g. CRI-O's conmon). */
  containerId: string;
  /** With dashes, as the API has it; "" when the layout does not say (containerd's /k8s.io/<id>). */
  podUid: string;
  /** "" when the layout does not say (cgroupfs driver paths). */
  runtime: ContainerRuntimeName | '';
}

/** systemd driver: kubepods-burstable-pod<uid with _>.slice (kind prefixes kubelet-). */
const POD_SLICE = /^(?:kubelet-)?kubepods(?:-[a-z]+)*-pod([0-9a-f_-]+)\.slice(?::|$)/;
/** cgroupfs driver: pod<uid>. Static pods' uids are 32 hex digits, others UUIDs. */
const POD_DIR = /^pod([0-9a-f]{8}(?:-?[0-9a-f]{4}){3}-?[0-9a-f]{12})$/;
const SCOPE = /^(cri-containerd|crio|docker)-([0-9a-f]{64})\.scope$/;
/** containerd's cgroupfs+systemd mix seen on kind and some distros: <pod slice>:cri-containerd:<id>. */
const COLON_SCOPE = /:(cri-containerd|crio|docker):([0-9a-f]{64})$/;
const BARE_ID = /^[0-9a-f]{64}$/;

const RUNTIME_BY_PREFIX: Record<string, ContainerRuntimeName | ''> = {
  'cri-containerd': 'containerd',
  crio: 'cri-o',
  docker: 'docker',
};

/** Parses the whole /proc/PID/cgroup text; undefined when the process is in no pod and no container. */
export function parseCgroup(text: string): CgroupIdentity | undefined {
  let podOnly: CgroupIdentity | undefined;
  for (const line of text.split('\n')) {
    // hierarchy-ID:controllers:path, and the path itself may hold colons.
    const first = line.indexOf(':');
    const second = first < 0 ? -1 : line.indexOf(':', first + 1);
    if (second < 0) continue;
    const identity = parseCgroupPath(line.slice(second + 1));
    if (identity?.containerId) return identity;
    podOnly ??= identity;
  }
  return podOnly;
}

/** One cgroup path, e.g. /kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod<uid>.slice/cri-containerd-<id>.scope */
export function parseCgroupPath(path: string): CgroupIdentity | undefined {
  let podUid = '';
  let containerId = '';
  let runtime: ContainerRuntimeName | '' = '';
  let parent = '';
  for (const segment of path.split('/')) {
    if (segment === '') continue;
    const pod = POD_SLICE.exec(segment) ?? POD_DIR.exec(segment);
    if (pod) podUid = pod[1]!.replaceAll('_', '-');
    const scope = SCOPE.exec(segment) ?? COLON_SCOPE.exec(segment);
    if (scope) {
      containerId = scope[2]!;
      runtime = RUNTIME_BY_PREFIX[scope[1]!] ?? '';
    } else if (BARE_ID.test(segment) && !containerId) {
      containerId = segment;
      runtime = parent === 'k8s.io' ? 'containerd' : parent === 'docker' ? 'docker' : '';
    } else if (segment.startsWith('crio-conmon-') && podUid) {
      runtime = 'cri-o';
    }
    parent = segment;
  }
  if (!podUid && !containerId) return undefined;
  return { containerId, podUid, runtime };
}
