import { setTimeout as sleep } from 'node:timers/promises';
import type { Violation } from '@kubectl-seccomp/proto';
import { KubernetesObjectApi, type KubeConfig, type KubernetesObject, type V1Pod } from '@kubernetes/client-node';
import type { TargetSet } from '../../targets/types.js';
import { buildFilter, buildRequest } from '../watch/filter.js';
import { runWatch } from '../watch/run.js';
import { WatchSession } from '../watch/session.js';
import type { WatchUpdate } from '../watch/types.js';
import { countEvents, mergeByContainer, RecordTally, type MergedContainer } from './merge.js';
import { NewCalls, type Ownership } from './new-calls.js';
import { intermediateKind, workloadPods } from './owners.js';

/** The workload's pods by owner references, remembered across the recording (replaced pods too). */
class PodOwnership implements Ownership {
  readonly ours = new Set<string>();
  readonly #known = new Set<string>();
  readonly #unlisted = new Set<string>();
  #pending: Promise<void> | undefined;

  constructor(
    private readonly kc: KubeConfig,
    private readonly workload: KubernetesObject,
    private readonly localhostProfile: string | undefined,
  ) {}

  /**
   * Asks again when a pod not yet looked up made a violation. A pod still not listed after that (gone
   * already) is not asked about again: each of its violations would list the pods again.
   */
  async lookedUp(pod: string): Promise<void> {
    if (this.#known.has(pod) || this.#unlisted.has(pod)) return;
    // A lookup already under way may have listed the pods before this one existed: then once more.
    let listed = 0;
    for (let i = 0; i < 2 && !this.#known.has(pod); i++) {
      listed += await this.refresh().then(
        () => 1,
        () => 0,
      );
    }
    // Only a pod two answers did not list is gone; after an API error it is asked about again.
    if (!this.#known.has(pod) && listed === 2) this.#unlisted.add(pod);
  }

  refresh(): Promise<void> {
    this.#pending ??= this.#list().finally(() => (this.#pending = undefined));
    return this.#pending;
  }

  async #list(): Promise<void> {
    const api = KubernetesObjectApi.makeApiClient(this.kc);
    const namespace = this.workload.metadata?.namespace;
    const via = intermediateKind(this.workload.kind ?? '');
    const [pods, middle] = await Promise.all([
      api.list<V1Pod>('v1', 'Pod', namespace),
      via ? api.list(via.apiVersion, via.kind, namespace) : Promise.resolve({ items: [] }),
    ]);
    for (const p of pods.items) this.#known.add(p.metadata?.name ?? '');
    for (const name of workloadPods(this.workload, middle.items, pods.items, this.localhostProfile)) this.ours.add(name);
  }
}

export interface Recorded {
  containers: MergedContainer[];
  replicas: string[];
  events: { attributed: number; notAttributed: number; otherPods: number };
}

/**
 * The violation streams of every node, filtered on the workload's namespace by the agents, kept by
 * pod and container until stop(); which pods are the workload's is asked of the API server as new
 * ones appear. Opened before the trial is bound, so what containers do at start is seen.
 */
export class Recorder {
  readonly #tally = new RecordTally();
  readonly #ownership: PodOwnership;
  readonly #session: WatchSession;
  readonly #newCalls: NewCalls;
  readonly #stop = new AbortController();
  readonly #watching: Promise<unknown>;

  /** `localhostProfile`: only pods running under it are the workload's (undefined for a pod). */
  constructor(
    kc: KubeConfig,
    set: TargetSet,
    workload: KubernetesObject,
    private readonly containers: readonly string[],
    localhostProfile: string | undefined,
  ) {
    this.#ownership = new PodOwnership(kc, workload, localhostProfile);
    this.#newCalls = new NewCalls(containers, this.#ownership);
    this.#session = new WatchSession({ nodes: [...set.targets.map((t) => t.node), ...set.missing.map((m) => m.node)], filter: buildFilter({}) });
    // Nodes without an agent count as not watched: nothing they run could be recorded.
    for (const m of set.missing) this.#session.ingest({ kind: 'state', node: m.node, state: { phase: 'failed', error: `no agent: ${m.reason}` } });
    const request = buildRequest(buildFilter({ namespaces: [workload.metadata?.namespace ?? ''] }), undefined, Date.now());
    const output = (u: WatchUpdate): void => {
      if (u.kind === 'violation') this.#add(u.violation);
    };
    this.#watching = runWatch({ targets: set.targets, request, session: this.#session, exitOnViolation: false, output, signal: this.#stop.signal });
  }

  /** When a syscall was last seen for the first time in one of the workload's containers (--until-idle). */
  get lastNewAt(): number {
    return this.#newCalls.lastNewAt;
  }

  /** Waits until every node's stream started or failed; returns the nodes not watched, with why. */
  async opened(signal: AbortSignal): Promise<string[]> {
    const ready = (): boolean => this.#session.board.list().every((n) => n.streamed || n.state.phase === 'failed');
    while (!signal.aborted && !this.#stop.signal.aborted && !ready()) await sleep(50, undefined, { signal }).catch(() => undefined);
    return this.#session.board
      .list()
      .filter((n) => !n.streamed)
      .map((n) => `${n.node} (${n.lastError || n.state.phase})`);
  }

  /** The recording starts now: the pods so far are looked up, the idle clock starts. */
  async start(): Promise<void> {
    await this.#ownership.refresh();
    this.#newCalls.restart();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#watching;
  }

  /** After stop(): per container of the template, merged over the workload's pods. */
  async result(): Promise<Recorded> {
    await this.#ownership.refresh();
    const ours = this.#ownership.ours;
    const counted = countEvents(this.#tally, ours);
    return {
      containers: mergeByContainer(this.containers, this.#tally, ours),
      replicas: [...ours].sort(),
      events: { ...counted, notAttributed: this.#tally.unnamedEvents + this.#session.summary().unplaced },
    };
  }

  #add(v: Violation): void {
    this.#tally.add(v);
    if (v.pod !== '') void this.#ownership.lookedUp(v.pod);
    void this.#newCalls.add(v);
  }
}
