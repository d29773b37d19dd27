import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type KubernetesObject,
  type V1Node,
} from '@kubernetes/client-node';
import { UserError } from '../errors.js';
import { FIELD_MANAGER } from '../services/install/apply.js';
import { describeApiError } from './targets.js';

/** The namespace kubectl would use: -n, else the context's, else "default". */
export function contextNamespace(kc: KubeConfig, flag: string | undefined): string {
  return flag ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
}

export async function readObject(kc: KubeConfig, ref: KubernetesObject): Promise<KubernetesObject> {
  try {
    return await KubernetesObjectApi.makeApiClient(kc).read({
      apiVersion: ref.apiVersion!,
      kind: ref.kind!,
      metadata: { name: ref.metadata!.name!, namespace: ref.metadata!.namespace },
    });
  } catch (err) {
    throw new UserError(
      `cannot read ${ref.kind} ${ref.metadata?.namespace}/${ref.metadata?.name}: ${describeApiError(err)}`,
      (err as { code?: number }).code === 404 ? 1 : 2,
    );
  }
}

/** Server-side apply as field manager kubectl-seccomp, taking over the fields it sets (force). */
export async function applyConfig(kc: KubeConfig, config: KubernetesObject, dryRun: boolean): Promise<KubernetesObject> {
  try {
    return await KubernetesObjectApi.makeApiClient(kc).patch(config, undefined, dryRun ? 'All' : undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  } catch (err) {
    throw new UserError(`applying to ${config.kind} ${config.metadata?.namespace}/${config.metadata?.name}: ${describeApiError(err)}`, 1);
  }
}

/** A JSON patch (RFC 6902) to a workload, as field manager kubectl-seccomp. */
export async function jsonPatchWorkload(kc: KubeConfig, kind: string, namespace: string, name: string, ops: readonly object[]): Promise<void> {
  const options = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);
  const req = { name, namespace, body: ops, fieldManager: FIELD_MANAGER };
  const apps = kc.makeApiClient(AppsV1Api);
  const batch = kc.makeApiClient(BatchV1Api);
  try {
    if (kind === 'Deployment') await apps.patchNamespacedDeployment(req, options);
    else if (kind === 'StatefulSet') await apps.patchNamespacedStatefulSet(req, options);
    else if (kind === 'DaemonSet') await apps.patchNamespacedDaemonSet(req, options);
    else if (kind === 'Job') await batch.patchNamespacedJob(req, options);
    else if (kind === 'CronJob') await batch.patchNamespacedCronJob(req, options);
    else throw new Error(`cannot patch a ${kind}`);
  } catch (err) {
    throw new UserError(`patching ${kind} ${namespace}/${name}: ${describeApiError(err)}`, 1);
  }
}

export async function listNodes(kc: KubeConfig): Promise<V1Node[]> {
  return (await kc.makeApiClient(CoreV1Api).listNode()).items;
}
