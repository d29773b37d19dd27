import { createHash } from 'node:crypto';
import { CoreV1Api, type KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { ANNOTATION_PATH, DATA_KEY, LABEL_MANAGED_BY, LABEL_PROFILE, MANAGED_BY, PROFILE_SELECTOR } from '@kubectl-seccomp/proto';
import type { DesiredProfile, RecordDesiredOptions } from '../targets/types.js';

export interface RecordResult {
  created: string[];
  updated: string[];
  unchanged: string[];
  deleted: string[];
}

/** A stable, valid ConfigMap name for a profile path (DNS subdomain; a hash keeps distinct paths apart). */
export function configMapName(path: string): string {
  const slug = path
    .toLowerCase()
    .replace(/\.json$/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 200);
  const hash = createHash('sha256').update(path).digest('hex').slice(0, 8);
  return `seccomp-profile-${slug || 'x'}-${hash}`;
}

export function desiredConfigMap(namespace: string, p: DesiredProfile): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: configMapName(p.path),
      namespace,
      labels: { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_PROFILE]: 'true' },
      annotations: { [ANNOTATION_PATH]: p.path },
    },
    data: { [DATA_KEY]: p.text },
  };
}

/**
 * Records the desired profiles as the labelled ConfigMaps the agents reconcile from, so nodes that
 * join later (or lose a file) converge without another push. With prune, ConfigMaps of profiles no
 * longer desired are deleted; ConfigMaps without our labels are never touched.
 */
export async function recordDesired(kc: KubeConfig, namespace: string, profiles: DesiredProfile[], opts: RecordDesiredOptions): Promise<RecordResult> {
  const core = kc.makeApiClient(CoreV1Api);
  const existing = (await core.listNamespacedConfigMap({ namespace, labelSelector: PROFILE_SELECTOR })).items;
  const byName = new Map(existing.map((cm) => [cm.metadata?.name ?? '', cm]));
  const result: RecordResult = { created: [], updated: [], unchanged: [], deleted: [] };
  for (const p of profiles) {
    const want = desiredConfigMap(namespace, p);
    const name = want.metadata!.name!;
    const have = byName.get(name);
    byName.delete(name);
    if (!have) {
      if (!opts.dryRun) await core.createNamespacedConfigMap({ namespace, body: want });
      result.created.push(p.path);
    } else if (have.data?.[DATA_KEY] !== p.text || have.metadata?.annotations?.[ANNOTATION_PATH] !== p.path) {
      if (!opts.dryRun) {
        await core.replaceNamespacedConfigMap({
          name,
          namespace,
          body: { ...want, metadata: { ...want.metadata, resourceVersion: have.metadata?.resourceVersion } },
        });
      }
      result.updated.push(p.path);
    } else result.unchanged.push(p.path);
  }
  if (opts.prune) {
    for (const [name, cm] of byName) {
      if (!opts.dryRun) await core.deleteNamespacedConfigMap({ name, namespace });
      result.deleted.push(cm.metadata?.annotations?.[ANNOTATION_PATH] ?? name);
    }
  }
  return result;
}

/** The recorded profiles: path -> profile text, from the labelled ConfigMaps. */
export async function readRecorded(kc: KubeConfig, namespace: string): Promise<Map<string, string>> {
  const core = kc.makeApiClient(CoreV1Api);
  const items = (await core.listNamespacedConfigMap({ namespace, labelSelector: PROFILE_SELECTOR })).items;
  const out = new Map<string, string>();
  for (const cm of items) {
    const path = cm.metadata?.annotations?.[ANNOTATION_PATH];
    const text = cm.data?.[DATA_KEY];
    if (path && text !== undefined) out.set(path, text);
  }
  return out;
}
