import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeObject, StoredEvent } from './apiserver/index.js';
import type { TestCluster } from './cluster.js';
import { startContainer, type RunningContainer } from './runc.js';

/**
 * Plays the Deployment, ReplicaSet, StatefulSet and Job controllers and the kubelets of a
 * TestCluster's agent nodes. A Deployment's pod template gets a ReplicaSet owned by the Deployment and
 * its replicas as Pods owned by the ReplicaSet (the owner chain of a real cluster); a StatefulSet owns
 * its pods NAME-0..N-1 itself; a Job owns one pod, which runs until stopped (it never completes).
 * Pods are spread over the agent nodes; each container is a real runc container in the pod's kubepods
 * cgroup, under the Localhost profile its template names, read from the node's profile dir (where that
 * node's agent wrote it). A template change rolls: a Deployment starts the new pods first, then
 * deletes the old ones' containers (`runc delete -f`) and scales the old ReplicaSet to 0; a
 * StatefulSet replaces its pods one by one, highest ordinal first, under the same names. Pod and
 * workload status say what a kubelet and the controller would (container IDs, started, ready,
 * revisions), so agents name the containers and a rollout wait sees them ready. It lives outside the
 * API server, which stays a REST server.
 */

/** The command a replica's container runs: replica is 0..replicas-1, the same across rollouts. */
export type ReplicaCommand = (replica: number, container: string) => string[];

interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec: {
    securityContext?: { seccompProfile?: SeccompRef };
    containers: { name: string; securityContext?: { seccompProfile?: SeccompRef } }[];
  };
}
interface SeccompRef {
  type: string;
  localhostProfile?: string;
}

interface LivePod {
  name: string;
  /** The ReplicaSet, StatefulSet or Job the pod belongs to. */
  owner: string;
  /** The template revision it runs (a StatefulSet's controller-revision-hash). */
  revision: string;
  containers: RunningContainer[];
}

const WORKLOADS: Record<string, string> = { Deployment: 'apps/v1', StatefulSet: 'apps/v1', Job: 'batch/v1' };

export class WorkloadKubelet {
  readonly #pods = new Map<string, LivePod>();
  #queue: Promise<void> = Promise.resolve();
  #failure: unknown;
  #stopped = false;
  readonly #unsubscribe: () => void;

  constructor(
    private readonly cluster: TestCluster,
    private readonly command: ReplicaCommand,
  ) {
    this.#unsubscribe = cluster.api.store.subscribe((e) => this.#onEvent(e));
    for (const [kind, apiVersion] of Object.entries(WORKLOADS)) for (const w of cluster.api.list(apiVersion, kind)) this.#enqueue(w);
  }

  /**
   * Resolves once every change seen so far is reconciled; rejects with the first error a reconcile
   * met (a container that would not start under its profile).
   */
  async settled(): Promise<void> {
    let last: Promise<void> | undefined;
    while (last !== this.#queue) await (last = this.#queue);
    if (this.#failure) throw this.#failure;
  }

  /** Stops reconciling, deletes every container it started; the objects stay in the API server. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe();
    await this.#queue;
    await Promise.all([...this.#pods.values()].flatMap((p) => p.containers.map((c) => c.stop())));
    this.#pods.clear();
  }

  #onEvent(e: StoredEvent): void {
    if (e.resource.kind in WORKLOADS && e.type !== 'DELETED') this.#enqueue(e.object);
  }

  #enqueue(workload: KubeObject): void {
    if (this.#stopped) return;
    const { namespace, name } = workload.metadata;
    const reconcilers: Record<string, () => Promise<void>> = {
      Deployment: () => this.#reconcileDeployment(namespace!, name),
      StatefulSet: () => this.#reconcileStatefulSet(namespace!, name),
      Job: () => this.#reconcileJob(namespace!, name),
    };
    const reconcile = reconcilers[workload.kind ?? ''];
    if (!reconcile) return;
    this.#queue = this.#queue.then(() => (this.#stopped ? undefined : reconcile())).catch((err: unknown) => void (this.#failure ??= err));
  }

  /** The workload as stored now, with its spec and status typed as the controllers read them. */
  #workload(kind: string, namespace: string, name: string) {
    const obj = this.cluster.api.list(WORKLOADS[kind]!, kind, namespace).find((o) => o.metadata.name === name);
    if (!obj) return undefined;
    const spec = obj['spec'] as { replicas?: number; template: PodTemplate };
    const status = obj['status'] as { observedGeneration?: number; updateRevision?: string } | undefined;
    return { obj, spec, status, revision: `${name}-${revision(spec.template)}` };
  }

  async #reconcileDeployment(namespace: string, name: string): Promise<void> {
    const api = this.cluster.api;
    const w = this.#workload('Deployment', namespace, name);
    if (!w) return;
    const { obj: d, spec, status, revision: rsName } = w;
    const current = api.list('apps/v1', 'ReplicaSet', namespace).find((o) => o.metadata.name === rsName);
    // This template runs and its status is reported: a status write of ours, nothing to roll.
    if (current && (current['spec'] as { replicas: number }).replicas > 0 && status?.observedGeneration === d.metadata.generation) return;

    const replicas = spec.replicas ?? 1;
    const rs =
      current ??
      api.apply({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: rsName, namespace, labels: spec.template.metadata?.labels ?? {}, ownerReferences: [ownerReference(d)] },
        spec: { replicas, template: spec.template },
      });
    const fresh: string[] = [];
    for (let i = 0; i < replicas; i++) fresh.push(await this.#startPod(rs, `${rs.metadata.name}-${randomBytes(3).toString('hex')}`, spec.template, i, rsName));

    // The old replicas go once the new ones run, as a rolling update ends.
    for (const old of api.list('apps/v1', 'ReplicaSet', namespace).filter((o) => ownedBy(o, d) && o.metadata.name !== rsName)) {
      if ((old['spec'] as { replicas: number }).replicas > 0) api.apply({ ...old, spec: { ...(old['spec'] as object), replicas: 0 } });
      for (const pod of [...this.#pods.values()].filter((p) => p.owner === old.metadata.name)) await this.#deletePod(namespace, pod);
    }
    if ((rs['spec'] as { replicas: number }).replicas !== replicas) api.apply({ ...rs, spec: { ...(rs['spec'] as object), replicas } });
    // The generation this roll was for: a template changed meanwhile is rolled next, not reported done.
    const latest = this.#workload('Deployment', namespace, name)!.obj;
    api.apply({
      ...latest,
      status: {
        observedGeneration: d.metadata.generation,
        replicas: fresh.length,
        updatedReplicas: fresh.length,
        readyReplicas: fresh.length,
        availableReplicas: fresh.length,
      },
    });
  }

  /** Pods NAME-0..N-1 owned by the StatefulSet; a pod of an older revision is replaced, highest ordinal first (no scale-down). */
  async #reconcileStatefulSet(namespace: string, name: string): Promise<void> {
    const api = this.cluster.api;
    const w = this.#workload('StatefulSet', namespace, name);
    if (!w) return;
    const { obj: sts, spec, status, revision: rev } = w;
    // This template runs and its status is reported: a status write of ours, nothing to roll.
    if (status?.observedGeneration === sts.metadata.generation && status?.updateRevision === rev) return;
    const replicas = spec.replicas ?? 1;
    for (let i = replicas - 1; i >= 0; i--) {
      const live = this.#pods.get(`${namespace}/${name}-${i}`);
      if (live?.revision === rev) continue;
      if (live) await this.#deletePod(namespace, live);
      await this.#startPod(sts, `${name}-${i}`, spec.template, i, rev);
    }
    const latest = this.#workload('StatefulSet', namespace, name)!.obj;
    api.apply({
      ...latest,
      status: {
        observedGeneration: sts.metadata.generation,
        replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        updatedReplicas: replicas,
        currentRevision: rev,
        updateRevision: rev,
      },
    });
  }

  /** One pod NAME-xxxxxx owned by the Job, started once (a Job's template never changes); it runs until stopped. */
  async #reconcileJob(namespace: string, name: string): Promise<void> {
    const w = this.#workload('Job', namespace, name);
    if (!w || [...this.#pods.values()].some((p) => p.owner === name && p.revision === w.revision)) return;
    await this.#startPod(w.obj, `${name}-${randomBytes(3).toString('hex')}`, w.spec.template, 0, w.revision);
    const latest = this.#workload('Job', namespace, name)!.obj;
    this.cluster.api.apply({ ...latest, status: { active: 1, ready: 1, startTime: new Date().toISOString() } });
  }

  async #deletePod(namespace: string, pod: LivePod): Promise<void> {
    await Promise.all(pod.containers.map((c) => c.stop()));
    this.#pods.delete(`${namespace}/${pod.name}`);
    this.cluster.api.remove('v1', 'Pod', namespace, pod.name);
  }

  /** A pod of `owner` on an agent node, its containers started under the template's profiles. */
  async #startPod(owner: KubeObject, name: string, template: PodTemplate, replica: number, rev: string): Promise<string> {
    const api = this.cluster.api;
    const nodes = [...this.cluster.agents.keys()].sort();
    const nodeName = nodes[replica % nodes.length]!;
    const uid = randomUUID();
    const ids = new Map(template.spec.containers.map((c) => [c.name, randomBytes(32).toString('hex')]));
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: owner.metadata.namespace,
        uid,
        labels: { ...template.metadata?.labels, ...(owner.kind === 'StatefulSet' ? { 'controller-revision-hash': rev } : {}) },
        ownerReferences: [ownerReference(owner)],
      },
      spec: { ...structuredClone(template.spec), nodeName },
      // The container IDs are known before the containers start, as a kubelet knows them once
      // created: agents can name their first calls.
      status: { phase: 'Pending', containerStatuses: template.spec.containers.map((c) => containerStatus(c.name, ids.get(c.name)!, undefined)) },
    };
    api.apply(pod);
    const live: LivePod = { name, owner: owner.metadata.name, revision: rev, containers: [] };
    this.#pods.set(`${owner.metadata.namespace}/${name}`, live);
    for (const c of template.spec.containers) {
      const ref = c.securityContext?.seccompProfile ?? template.spec.securityContext?.seccompProfile;
      const profile = ref?.type === 'Localhost' ? await this.#profile(nodeName, ref.localhostProfile!) : null;
      live.containers.push(await startContainer({ id: ids.get(c.name)!, podUid: uid, profile, args: this.command(replica, c.name) }));
    }
    const startedAt = new Date().toISOString();
    api.apply({
      ...pod,
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: template.spec.containers.map((c) => containerStatus(c.name, ids.get(c.name)!, startedAt)),
      },
    });
    return name;
  }

  async #profile(nodeName: string, localhostProfile: string): Promise<object> {
    return JSON.parse(await readFile(join(this.cluster.agent(nodeName).profileDir, localhostProfile), 'utf8')) as object;
  }
}

function containerStatus(name: string, id: string, startedAt: string | undefined): object {
  const running = startedAt !== undefined;
  return {
    name,
    ready: running,
    started: running,
    restartCount: 0,
    image: 'busybox',
    imageID: '',
    containerID: `containerd://${id}`,
    state: running ? { running: { startedAt } } : { waiting: { reason: 'ContainerCreating' } },
  };
}

/** The template's revision: a hash of it, as the controllers name ReplicaSets and revisions. */
function revision(template: PodTemplate): string {
  return createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 10);
}

function ownerReference(o: KubeObject): object {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, uid: o.metadata.uid, controller: true, blockOwnerDeletion: true };
}

function ownedBy(o: KubeObject, by: KubeObject): boolean {
  return ((o.metadata['ownerReferences'] as { uid: string }[] | undefined) ?? []).some((r) => r.uid === by.metadata.uid);
}
