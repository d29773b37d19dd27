import { CoreV1Api, type KubeConfig, ListWatch, type V1ContainerStatus, type V1Pod, Watch } from '@kubernetes/client-node';
import type { Logger } from '../log.js';
import type { PodNames, PodResolver } from '../violations/pod-resolver.js';
import { SigsysDeaths, sigsysDeathsOf } from '../violations/sigsys-deaths.js';

/** `containerd://<id>`, `cri-o://<id>`, `docker://<id>` -> `<id>`; "" when there is none yet. */
export function containerIdOf(statusId: string | undefined): string {
  if (!statusId) return '';
  const sep = statusId.indexOf('://');
  return sep < 0 ? statusId : statusId.slice(sep + 3);
}

/** The pods on this node, indexed by container id and pod uid. Pure: fed by the informer or tests. */
export class PodIndex implements PodResolver {
  private readonly byContainer = new Map<string, PodNames>();
  private readonly byPod = new Map<string, { names: PodNames; containerIds: string[] }>();

  upsert(pod: V1Pod): void {
    const uid = pod.metadata?.uid;
    if (!uid) return;
    this.removeUid(uid);
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    const containerIds: string[] = [];
    const statuses: V1ContainerStatus[] = [
      ...(pod.status?.containerStatuses ?? []),
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.ephemeralContainerStatuses ?? []),
    ];
    for (const status of statuses) {
      // A restarted container's previous instance may still have records in flight.
      for (const id of [containerIdOf(status.containerID), containerIdOf(status.lastState?.terminated?.containerID)]) {
        if (!id) continue;
        this.byContainer.set(id, { namespace, pod: name, container: status.name });
        containerIds.push(id);
      }
    }
    this.byPod.set(uid, { names: { namespace, pod: name, container: '' }, containerIds });
  }

  remove(pod: V1Pod): void {
    if (pod.metadata?.uid) this.removeUid(pod.metadata.uid);
  }

  lookup(podUid: string, containerId: string): PodNames | undefined {
    const byContainer = containerId ? this.byContainer.get(containerId) : undefined;
    if (byContainer) return byContainer;
    const byPod = podUid ? this.byPod.get(podUid) : undefined;
    return byPod ? { ...byPod.names } : undefined;
  }

  get size(): number {
    return this.byPod.size;
  }

  private removeUid(uid: string): void {
    const old = this.byPod.get(uid);
    if (!old) return;
    for (const id of old.containerIds) this.byContainer.delete(id);
    this.byPod.delete(uid);
  }
}

export interface KubePodResolverOptions {
  kubeConfig: KubeConfig;
  nodeName: string;
  log: Logger;
  /** Wait before re-listing after the watch failed (ms). */
  retryMs?: number;
}

/**
 * Names pods through the API server: an informer on the pods of this node only
 * (fieldSelector spec.nodeName=NODE), so the agent's memory and RBAC needs stay per node.
 */
export class KubePodResolver implements PodResolver {
  readonly index = new PodIndex();
  /** Containers of this node's pods that died of SIGSYS: names KILL records of processes already gone. */
  readonly deaths = new SigsysDeaths();
  private readonly informer: ListWatch<V1Pod>;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly opts: KubePodResolverOptions) {
    const fieldSelector = `spec.nodeName=${opts.nodeName}`;
    const core = opts.kubeConfig.makeApiClient(CoreV1Api);
    this.informer = new ListWatch<V1Pod>(
      '/api/v1/pods',
      new Watch(opts.kubeConfig),
      () => core.listPodForAllNamespaces({ fieldSelector }),
      false,
      undefined,
      fieldSelector,
    );
    this.informer.on('add', (pod) => this.upsert(pod));
    this.informer.on('update', (pod) => this.upsert(pod));
    this.informer.on('delete', (pod) => this.index.remove(pod));
    this.informer.on('error', (err) => this.failed(err));
  }

  /** Lists the node's pods, then watches; resolves after the first list (or its failure, retried). */
  async start(): Promise<void> {
    try {
      await this.informer.start();
    } catch (err) {
      this.failed(err);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.informer.stop();
  }

  lookup(podUid: string, containerId: string): PodNames | undefined {
    return this.index.lookup(podUid, containerId);
  }

  private upsert(pod: V1Pod): void {
    this.index.upsert(pod);
    const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
    const terminated = statuses.flatMap((s) => [s.state?.terminated, s.lastState?.terminated]);
    for (const death of sigsysDeathsOf(pod.metadata?.uid ?? '', terminated)) this.deaths.add(death);
  }

  /** The informer stops on errors other than 410 Gone: restart it after a pause. */
  private failed(err: unknown): void {
    if (this.stopped) return;
    this.opts.log.warn({ err: err instanceof Error ? err.message : String(err), node: this.opts.nodeName }, 'pod watch failed; retrying');
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!this.stopped) this.start().catch(() => {});
    }, this.opts.retryMs ?? 5000);
    this.retry.unref();
  }
}
