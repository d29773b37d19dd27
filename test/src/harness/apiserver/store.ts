import { randomUUID } from 'node:crypto';
import { groupVersion, type ResourceType } from './resources.js';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface StoredEvent {
  rv: number;
  type: WatchEventType;
  resource: ResourceType;
  object: KubeObject;
}

export class ConflictError extends Error {}
export class NotFoundError extends Error {}
/** A write the API server's validation refuses (422 Invalid). */
export class InvalidError extends Error {}

/** An in-memory etcd: objects by resource/namespace/name, a global resourceVersion, and an event log for watches. */
export class ObjectStore {
  #rv = 1;
  readonly #objects = new Map<string, { resource: ResourceType; object: KubeObject }>();
  readonly #events: StoredEvent[] = [];
  readonly #listeners = new Set<(e: StoredEvent) => void>();

  get resourceVersion(): string {
    return String(this.#rv);
  }

  static key(resource: ResourceType, namespace: string | undefined, name: string): string {
    return `${resource.group}/${resource.plural}/${resource.namespaced ? (namespace ?? '') : ''}/${name}`;
  }

  get(resource: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const entry = this.#objects.get(ObjectStore.key(resource, namespace, name));
    return entry ? structuredClone(entry.object) : undefined;
  }

  list(resource: ResourceType, namespace?: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const { resource: r, object } of this.#objects.values()) {
      if (r !== resource) continue;
      if (namespace && object.metadata.namespace !== namespace) continue;
      out.push(structuredClone(object));
    }
    return out.sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  }

  create(resource: ResourceType, object: KubeObject): KubeObject {
    const key = ObjectStore.key(resource, object.metadata.namespace, object.metadata.name);
    if (this.#objects.has(key)) throw new ConflictError(`${resource.plural} "${object.metadata.name}" already exists`);
    const stored = structuredClone(object);
    stored.apiVersion = groupVersion(resource);
    stored.kind = resource.kind;
    if (!resource.namespaced) delete stored.metadata.namespace;
    stored.metadata.uid ??= randomUUID();
    stored.metadata.creationTimestamp ??= new Date().toISOString();
    stored.metadata.generation = 1;
    return this.#commit(resource, key, stored, 'ADDED');
  }

  replace(resource: ResourceType, object: KubeObject): KubeObject {
    const key = ObjectStore.key(resource, object.metadata.namespace, object.metadata.name);
    const current = this.#objects.get(key);
    if (!current) throw new NotFoundError(`${resource.plural} "${object.metadata.name}" not found`);
    const rv = object.metadata.resourceVersion;
    if (rv && rv !== current.object.metadata.resourceVersion) {
      throw new ConflictError(`the object has been modified; please apply your changes to the latest version`);
    }
    // As the API server validates a Job update: its pod template never changes once it exists.
    if (
      resource.kind === 'Job' &&
      JSON.stringify((object['spec'] as { template?: unknown } | undefined)?.template) !==
        JSON.stringify((current.object['spec'] as { template?: unknown } | undefined)?.template)
    ) {
      throw new InvalidError(`Job.batch "${object.metadata.name}" is invalid: spec.template: Invalid value: the pod template: field is immutable`);
    }
    const stored = structuredClone(object);
    stored.apiVersion = groupVersion(resource);
    stored.kind = resource.kind;
    stored.metadata.uid = current.object.metadata.uid;
    stored.metadata.creationTimestamp = current.object.metadata.creationTimestamp;
    const specChanged = JSON.stringify(stored['spec']) !== JSON.stringify(current.object['spec']);
    stored.metadata.generation = (current.object.metadata.generation ?? 1) + (specChanged ? 1 : 0);
    return this.#commit(resource, key, stored, 'MODIFIED');
  }

  delete(resource: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const key = ObjectStore.key(resource, namespace, name);
    const current = this.#objects.get(key);
    if (!current) throw new NotFoundError(`${resource.plural} "${name}" not found`);
    this.#objects.delete(key);
    const gone = structuredClone(current.object);
    gone.metadata.resourceVersion = String(++this.#rv);
    this.#emit({ rv: this.#rv, type: 'DELETED', resource, object: gone });
    return gone;
  }

  /** Events after `sinceRv` for a resource (the watch replay). */
  eventsSince(resource: ResourceType, sinceRv: number): StoredEvent[] {
    return this.#events.filter((e) => e.resource === resource && e.rv > sinceRv);
  }

  subscribe(listener: (e: StoredEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #commit(resource: ResourceType, key: string, object: KubeObject, type: WatchEventType): KubeObject {
    object.metadata.resourceVersion = String(++this.#rv);
    this.#objects.set(key, { resource, object });
    this.#emit({ rv: this.#rv, type, resource, object: structuredClone(object) });
    return structuredClone(object);
  }

  #emit(event: StoredEvent): void {
    this.#events.push(event);
    for (const listener of this.#listeners) listener(event);
  }
}
