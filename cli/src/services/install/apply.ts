import { AppsV1Api, CoreV1Api, KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { AGENT_POD_SELECTOR } from '../../kube/discovery.js';
import { describeApiError } from '../../kube/targets.js';
import { UserError } from '../../errors.js';
import { agentDaemonSet, type ManifestObject } from './render.js';
import { nodesWithoutAgent, rolloutLine, rolloutStatus } from './rollout.js';
import type { InstallReport, ObjectResult, UninstallReport } from './types.js';

export const FIELD_MANAGER = 'kubectl-seccomp';

export interface InstallOptions {
  namespace: string;
  image: string;
  /** Take over fields another manager owns (kubectl apply --server-side --force-conflicts). */
  forceConflicts: boolean;
  wait: boolean;
  timeoutMs: number;
  /** Poll interval while waiting. */
  pollMs?: number;
  /** Progress lines (stderr). */
  progress: (line: string) => void;
  signal?: AbortSignal;
}

/** Server-side applies every object in order (Namespace first), then waits for the DaemonSet's rollout. */
export async function install(kc: KubeConfig, objects: ManifestObject[], opts: InstallOptions): Promise<InstallReport> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  const results: ObjectResult[] = [];
  for (const obj of objects) {
    try {
      await api.patch(obj as KubernetesObject, undefined, undefined, FIELD_MANAGER, opts.forceConflicts, PatchStrategy.ServerSideApply);
    } catch (err) {
      throw new UserError(`applying ${describe(obj)}: ${describeApiError(err)}`);
    }
    results.push({ ...ref(obj), action: 'applied' });
    opts.progress(`applied ${describe(obj)}`);
  }
  const report: InstallReport = { namespace: opts.namespace, image: opts.image, objects: results, notReady: [] };
  if (!opts.wait) return report;
  const ds = agentDaemonSet(objects);
  report.rollout = await waitForRollout(kc, ds.metadata.name, opts);
  if (!report.rollout.complete) report.notReady = await notReadyNodes(kc, opts.namespace);
  return report;
}

async function waitForRollout(kc: KubeConfig, name: string, opts: InstallOptions): Promise<NonNullable<InstallReport['rollout']>> {
  const apps = kc.makeApiClient(AppsV1Api);
  const deadline = Date.now() + opts.timeoutMs;
  let last = '';
  for (;;) {
    const status = rolloutStatus(await apps.readNamespacedDaemonSet({ name, namespace: opts.namespace }));
    const line = rolloutLine(opts.namespace, name, status);
    if (line !== last) opts.progress(line);
    last = line;
    if (status.complete || Date.now() >= deadline || opts.signal?.aborted) return status;
    await sleep(Math.min(opts.pollMs ?? 2000, Math.max(0, deadline - Date.now())), opts.signal);
  }
}

async function notReadyNodes(kc: KubeConfig, namespace: string): Promise<InstallReport['notReady']> {
  const core = kc.makeApiClient(CoreV1Api);
  const [nodes, pods] = await Promise.all([core.listNode(), core.listNamespacedPod({ namespace, labelSelector: AGENT_POD_SELECTOR })]);
  return nodesWithoutAgent(nodes.items, pods.items);
}

/**
 * Deletes what install applied, cluster-scoped objects included, DaemonSet first and Namespace last
 * (which takes the profile ConfigMaps with it). Profile files already on the nodes stay.
 */
export async function uninstall(kc: KubeConfig, objects: ManifestObject[], namespace: string): Promise<UninstallReport> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  const results: ObjectResult[] = [];
  for (const obj of [...objects].reverse()) {
    try {
      await api.delete(obj as KubernetesObject, undefined, undefined, undefined, undefined, 'Background');
      results.push({ ...ref(obj), action: 'deleted' });
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw new UserError(`deleting ${describe(obj)}: ${describeApiError(err)}`);
      results.push({ ...ref(obj), action: 'absent' });
    }
  }
  return { namespace, objects: results };
}

function ref(obj: ManifestObject): Omit<ObjectResult, 'action'> {
  return { kind: obj.kind, name: obj.metadata.name, ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}) };
}

function describe(obj: ManifestObject): string {
  return `${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
