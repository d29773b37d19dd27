import { typeByPlural, type ResourceType } from './resources.js';
import type { KubeObject, ObjectStore } from './store.js';

/** Plays the DaemonSet controller: every node scheduled, ready and up to date as soon as it is written. */
export function markDaemonSetReady(store: ObjectStore, resource: ResourceType, obj: KubeObject): KubeObject {
  if (resource.kind !== 'DaemonSet') return obj;
  const nodes = store.list(typeByPlural('', 'v1', 'nodes')!).length;
  const status = {
    observedGeneration: obj.metadata.generation,
    desiredNumberScheduled: nodes,
    currentNumberScheduled: nodes,
    updatedNumberScheduled: nodes,
    numberReady: nodes,
    numberAvailable: nodes,
    numberMisscheduled: 0,
  };
  return store.replace(resource, { ...obj, status, metadata: { ...obj.metadata, resourceVersion: undefined } });
}
