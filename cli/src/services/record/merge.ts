import type { Violation } from '@kubectl-seccomp/proto';
import { ObservedSyscalls, type ContainerObservation } from '../suggest/observed.js';
import { attributionOf } from '../watch/attribution.js';

/** One container name of the workload, merged over every replica seen doing something. */
export interface MergedContainer {
  container: string;
  /** The workload's pods whose violations were merged in (sorted). */
  pods: string[];
  /** What to suggest from: the union over those pods. */
  observation: ContainerObservation;
}

/**
 * Every violation of the namespace while recording, by pod and container: which pods are the
 * workload's is known only by asking the API server (pods come and go during a recording).
 */
export class RecordTally {
  readonly observed = new ObservedSyscalls();
  readonly eventsByPod = new Map<string, number>();
  /** Violations no pod could be named for (the agents count more of them as unplaced). */
  unnamedEvents = 0;

  add(v: Violation): void {
    this.observed.add(v);
    if (attributionOf(v) !== 'pod') this.unnamedEvents += 1;
    else this.eventsByPod.set(v.pod, (this.eventsByPod.get(v.pod) ?? 0) + 1);
  }

  /** Pods that made violations, for the ownership lookup. */
  pods(): string[] {
    return [...this.eventsByPod.keys()];
  }
}

/**
 * Pure: one observation per container name of the template, the union over the workload's pods
 * (`ours`); a container seen doing nothing the base denies gets an empty one (the base is enough).
 */
export function mergeByContainer(containers: readonly string[], tally: RecordTally, ours: ReadonlySet<string>): MergedContainer[] {
  return containers.map((container) => {
    const observation: ContainerObservation = {
      namespace: '',
      pod: '',
      container,
      containerId: '',
      attribution: 'pod',
      syscalls: new Set(),
      arches: new Set(),
      unnamed: new Set(),
    };
    const pods = new Set<string>();
    for (const o of tally.observed.containers()) {
      if (o.attribution !== 'pod' || o.container !== container || !ours.has(o.pod)) continue;
      pods.add(o.pod);
      observation.namespace = o.namespace;
      for (const s of o.syscalls) observation.syscalls.add(s);
      for (const a of o.arches) observation.arches.add(a);
      for (const u of o.unnamed) observation.unnamed.add(u);
    }
    return { container, pods: [...pods].sort(), observation };
  });
}

/** Pure: violations of the workload's pods, and of the namespace's other pods (not recorded). */
export function countEvents(tally: RecordTally, ours: ReadonlySet<string>): { attributed: number; otherPods: number } {
  let attributed = 0;
  let otherPods = 0;
  for (const [pod, n] of tally.eventsByPod) {
    if (ours.has(pod)) attributed += n;
    else otherPods += n;
  }
  return { attributed, otherPods };
}
