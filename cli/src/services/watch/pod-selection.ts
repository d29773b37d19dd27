import type { Violation } from '@kubectl-seccomp/proto';
import type { UpdateSink, WatchUpdate } from './types.js';

export interface PodRef {
  namespace: string;
  name: string;
  uid: string;
}

/** The API server's answer to "which pods match this label selector" (kube/pods.ts). */
export interface PodLister {
  /** Every matching pod in `namespaces` (none: all); with `only`, that pod if it matches. */
  list(selector: string, namespaces: readonly string[], only?: { namespace: string; name: string }): Promise<PodRef[]>;
}

type Identity = Pick<Violation, 'namespace' | 'pod' | 'podUid'>;

/**
 * Which pods `-l` selects. The API server evaluates the selector (all of kubectl's syntax): the CLI
 * lists the matching pods, asks again about a pod it has not seen (a pod that started after the last
 * list), and re-lists from time to time (labels change, pods go).
 */
export class PodSelection {
  private readonly byName = new Map<string, boolean>();
  private readonly uids = new Set<string>();
  /** UIDs asked about since the last list: a pod that is not selected costs one re-list, not one per event. */
  private readonly uidMisses = new Set<string>();
  private listing?: Promise<void>;

  constructor(
    private readonly lister: PodLister,
    readonly selector: string,
    private readonly namespaces: readonly string[],
  ) {}

  /** Lists the selected pods again (the watch calls it periodically). */
  refresh(): Promise<void> {
    this.listing ??= this.lister
      .list(this.selector, this.namespaces)
      .then((pods) => {
        this.byName.clear();
        this.uids.clear();
        this.uidMisses.clear();
        for (const p of pods) {
          this.byName.set(`${p.namespace}/${p.name}`, true);
          this.uids.add(p.uid);
        }
      })
      .finally(() => (this.listing = undefined));
    return this.listing;
  }

  /**
   * Whether the violation's pod is selected: at once when its pod is known, after asking the API
   * otherwise; undefined when it cannot be told (no pod name nor UID: the process exited unnamed).
   */
  matches(v: Identity): boolean | undefined | Promise<boolean> {
    if (v.pod !== '') {
      const key = `${v.namespace}/${v.pod}`;
      const known = this.byName.get(key);
      if (known !== undefined) return known;
      return this.lister.list(this.selector, this.namespaces, { namespace: v.namespace, name: v.pod }).then((pods) => {
        const hit = pods.find((p) => p.namespace === v.namespace && p.name === v.pod);
        this.byName.set(key, hit !== undefined);
        if (hit) this.uids.add(hit.uid);
        return hit !== undefined;
      });
    }
    if (v.podUid === '') return undefined;
    if (this.uids.has(v.podUid) || this.uidMisses.has(v.podUid)) return this.uids.has(v.podUid);
    // Only a UID (no API on the node): a pod started since the last list is found by listing again.
    return this.refresh().then(() => {
      if (!this.uids.has(v.podUid)) this.uidMisses.add(v.podUid);
      return this.uids.has(v.podUid);
    });
  }
}

/**
 * Passes on the violations of selected pods, in the order they came (a violation waiting for the
 * API holds back those after it); every other update goes on in that order too. A violation no pod
 * can be told for goes on as `unplaced`. An API error counts the violation as not selected.
 */
export function selectPods(selection: PodSelection, next: UpdateSink): UpdateSink {
  const queue: WatchUpdate[] = [];
  let draining = false;
  const drain = async (): Promise<void> => {
    draining = true;
    while (queue.length > 0) {
      const u = queue.shift()!;
      if (u.kind !== 'violation') {
        next(u);
        continue;
      }
      const verdict = selection.matches(u.violation);
      const selected = verdict instanceof Promise ? await verdict.catch(() => false) : verdict;
      if (selected === undefined) next({ kind: 'unplaced', node: u.node });
      else if (selected) next(u);
    }
    draining = false;
  };
  return (u) => {
    queue.push(u);
    if (!draining) void drain();
  };
}
