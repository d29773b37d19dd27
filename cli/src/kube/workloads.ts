import { CoreV1Api, KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject, type V1Node } from '@kubernetes/client-node';
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

export async function listNodes(kc: KubeConfig): Promise<V1Node[]> {
  return (await kc.makeApiClient(CoreV1Api).listNode()).items;
}
