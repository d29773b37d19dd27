import { parseAllDocuments, stringify } from 'yaml';
import { UserError } from '../../errors.js';
import { BASE_MANIFESTS_YAML } from './base-manifests.js';

/** A Kubernetes object as rendered from manifests/base. */
export interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface RenderOptions {
  /** Full image reference; undefined keeps the one manifests/base sets. */
  image?: string;
  namespace: string;
}

const AGENT_DAEMONSET = 'seccomp-agent';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The objects of manifests/base as embedded at build time (kustomize's order: Namespace first). */
export function baseManifests(): ManifestObject[] {
  return parseAllDocuments(BASE_MANIFESTS_YAML).map((doc) => doc.toJS() as ManifestObject);
}

/** The image manifests/base sets for the agent (its kustomization `images:`). */
export function defaultImage(): string {
  return agentContainers(baseManifests())[0]!.image;
}

/**
 * Pure: manifests/base for another namespace and image, as kustomize renders an overlay with
 * `namespace:`, a NamespaceTransformer that also moves ServiceAccount subjects, and `images:`.
 */
export function renderManifests(opts: RenderOptions): ManifestObject[] {
  if (!DNS_LABEL.test(opts.namespace)) throw new UserError(`--agent-namespace: "${opts.namespace}" is not a valid namespace name (RFC 1123 label)`);
  if (opts.image !== undefined && (opts.image === '' || /\s/.test(opts.image))) {
    throw new UserError(`--image: "${opts.image}" is not an image reference`);
  }
  const objects = baseManifests();
  for (const obj of objects) {
    if (obj.kind === 'Namespace') obj.metadata.name = opts.namespace;
    else if (obj.metadata.namespace !== undefined) obj.metadata.namespace = opts.namespace;
    if (obj.kind === 'RoleBinding' || obj.kind === 'ClusterRoleBinding') {
      for (const s of (obj.subjects ?? []) as { kind: string; namespace?: string }[]) {
        if (s.kind === 'ServiceAccount') s.namespace = opts.namespace;
      }
    }
  }
  if (opts.image !== undefined) {
    // As kustomize's `images:` does: every container of the base's image, the relay's too.
    const base = defaultImage();
    for (const c of objects.flatMap(podContainers)) if (c.image === base) c.image = opts.image;
  }
  return objects;
}

/** The multi-document YAML `kubectl apply -f -` takes. */
export function manifestsYaml(objects: ManifestObject[]): string {
  // Literal blocks, as kustomize prints the policy's multi-line CEL expressions.
  return objects.map((o) => stringify(o, { indentSeq: false, blockQuote: 'literal' })).join('---\n');
}

export function agentDaemonSet(objects: ManifestObject[]): ManifestObject {
  const ds = objects.find((o) => o.kind === 'DaemonSet' && o.metadata.name === AGENT_DAEMONSET);
  if (!ds) throw new Error('the embedded manifests have no seccomp-agent DaemonSet');
  return ds;
}

function agentContainers(objects: ManifestObject[]): { image: string }[] {
  return podContainers(agentDaemonSet(objects));
}

function podContainers(obj: ManifestObject): { image: string }[] {
  if (obj.kind !== 'DaemonSet') return [];
  return (obj.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers;
}
