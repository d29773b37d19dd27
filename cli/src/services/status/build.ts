import type { V1Pod } from '@kubernetes/client-node';
import type { ContainerProcess, NodeInfo, ProfileInfo } from '@kubectl-seccomp/proto';
import type { StatusContainer, StatusNode, StatusOutput, StatusProfile } from '../../output/types.js';
import { nodeCopy, referencedAs } from '../bind/node-copy.js';
import { profileReferences } from '../references.js';

/** What one reachable node's agent said. */
export interface NodeFacts {
  node: string;
  info: NodeInfo;
  files: ProfileInfo[];
  containers: ContainerProcess[];
}

export interface StatusInput {
  /** path -> text of the recorded ConfigMaps. */
  recorded: ReadonlyMap<string, string>;
  pods: readonly V1Pod[];
  nodes: readonly NodeFacts[];
  /** Nodes that could not be asked, with why. */
  unreachable: { node: string; reason: string }[];
  /** Only this localhostProfile; undefined: every profile. */
  only?: string;
}

/**
 * Per profile (by the localhostProfile pods name it with): the nodes and their copy of it, and the
 * containers that reference it: stale when started before the node's copy was last written, and
 * flagged when their process does not run in seccomp filter mode.
 */
export function buildStatus(input: StatusInput): StatusOutput {
  const refs = profileReferences(input.pods);
  const names = new Set<string>([...input.recorded.keys(), ...refs.map((r) => r.localhostProfile)]);
  for (const n of input.nodes) for (const f of n.files) names.add(referencedAs(n.info, f.path));
  const wanted = [...names].filter((p) => input.only === undefined || p === input.only).sort();
  const profiles = wanted.map((name): StatusProfile => {
    const nodes = input.nodes.map((n): StatusNode => {
      const copy = nodeCopy(n.info, n.files, name, input.recorded);
      const file = n.files.find((f) => f.path === copy.path);
      return { node: n.node, status: copy.status, path: copy.path, sha256: copy.sha256, expected: copy.expected, changedUnixMs: file?.changedUnixMs ?? 0 };
    });
    const containers = refs.filter((r) => r.localhostProfile === name).map((r) => container(r, input, nodes));
    const recorded = [...input.recorded.keys()].some((path) => path === name || input.nodes.some((n) => referencedAs(n.info, path) === name));
    return { localhostProfile: name, recorded, nodes, containers };
  });
  const all = profiles.flatMap((p) => p.containers);
  return {
    profiles,
    unreachable: input.unreachable,
    summary: {
      profiles: profiles.length,
      outOfSync: profiles.filter((p) => p.nodes.some((n) => n.status !== 'ok' && (p.recorded || n.status !== 'missing'))).length,
      containers: all.length,
      stale: all.filter((c) => c.stale).length,
      notFiltered: all.filter((c) => c.notFiltered).length,
    },
  };
}

function container(r: ReturnType<typeof profileReferences>[number], input: StatusInput, nodes: StatusNode[]): StatusContainer {
  const pod = input.pods.find((p) => p.metadata?.namespace === r.namespace && p.metadata?.name === r.pod);
  const statuses = [...(pod?.status?.initContainerStatuses ?? []), ...(pod?.status?.containerStatuses ?? [])];
  const st = statuses.find((s) => s.name === r.container);
  const startedAt = st?.state?.running?.startedAt;
  const startedMs = startedAt ? new Date(startedAt).getTime() : 0;
  const containerId = (st?.containerID ?? '').replace(/^[a-z0-9-]+:\/\//, '');
  const copy = nodes.find((n) => n.node === r.node);
  const facts = input.nodes.find((n) => n.node === r.node);
  const process = containerId ? facts?.containers.find((c) => c.containerId === containerId) : undefined;
  const mode = process?.mode ?? 'unknown';
  return {
    namespace: r.namespace,
    pod: r.pod,
    container: r.container,
    node: r.node,
    containerId,
    startedAt: startedAt ? new Date(startedAt).toISOString() : '',
    stale: startedMs > 0 && (copy?.changedUnixMs ?? 0) > startedMs,
    mode,
    notFiltered: mode !== 'unknown' && mode !== 'filter',
  };
}
