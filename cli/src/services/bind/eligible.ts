import type { V1Node, V1NodeSelectorRequirement, V1NodeSelectorTerm, V1PodSpec, V1Taint, V1Toleration } from '@kubernetes/client-node';

/** A node the pods cannot be scheduled to, and why. */
export interface ExcludedNode {
  node: string;
  reason: string;
}

export interface Eligibility {
  eligible: string[];
  excluded: ExcludedNode[];
}

/**
 * The nodes the scheduler may put the template's pods on, as far as the spec says: nodeName,
 * nodeSelector, required node affinity and NoSchedule/NoExecute taints against tolerations, and
 * cordoned nodes (except for DaemonSets, whose pods tolerate that). Resources, pod affinity and
 * topology spread are not evaluated: a node they would rule out still counts as eligible.
 */
export function eligibleNodes(spec: V1PodSpec | undefined, nodes: readonly V1Node[], opts: { daemonSet: boolean }): Eligibility {
  const out: Eligibility = { eligible: [], excluded: [] };
  for (const node of nodes) {
    const name = node.metadata?.name ?? '';
    const reason = exclusion(spec, node, opts.daemonSet);
    if (reason) out.excluded.push({ node: name, reason });
    else out.eligible.push(name);
  }
  return out;
}

function exclusion(spec: V1PodSpec | undefined, node: V1Node, daemonSet: boolean): string | undefined {
  const name = node.metadata?.name ?? '';
  const labels = node.metadata?.labels ?? {};
  if (spec?.nodeName && spec.nodeName !== name) return `nodeName is ${spec.nodeName}`;
  for (const [k, v] of Object.entries(spec?.nodeSelector ?? {})) {
    if (labels[k] !== v) return `nodeSelector ${k}=${v}`;
  }
  const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms?.length && !terms.some((t) => termMatches(t, name, labels))) return 'required node affinity';
  if (node.spec?.unschedulable && !daemonSet) return 'cordoned (unschedulable)';
  const taint = (node.spec?.taints ?? []).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerated(t, spec?.tolerations ?? []));
  if (taint) return `taint ${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect} not tolerated`;
  return undefined;
}

function termMatches(term: V1NodeSelectorTerm, name: string, labels: Record<string, string>): boolean {
  // An empty term matches nothing, as in the scheduler.
  if (!term.matchExpressions?.length && !term.matchFields?.length) return false;
  return (
    (term.matchExpressions ?? []).every((r) => requirement(r, labels[r.key])) &&
    (term.matchFields ?? []).every((r) => r.key === 'metadata.name' && requirement(r, name))
  );
}

function requirement(r: V1NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const [n, bound] = [Number.parseInt(value ?? '', 10), Number.parseInt(values[0] ?? '', 10)];
      if (Number.isNaN(n) || Number.isNaN(bound)) return false;
      return r.operator === 'Gt' ? n > bound : n < bound;
    }
    default:
      return false;
  }
}

function tolerated(taint: V1Taint, tolerations: readonly V1Toleration[]): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}
