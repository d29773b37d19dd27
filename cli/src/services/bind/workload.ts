import type { KubernetesObject, V1PodTemplateSpec } from '@kubernetes/client-node';
import { UserError } from '../../errors.js';

/** A workload as the user names it: deploy/web, sts/db, ds/agent, job/x, cronjob/y. */
export interface WorkloadRef {
  apiVersion: string;
  kind: string;
  name: string;
  /** Where the pod template is in the object. */
  template: readonly string[];
  /** Its pod template cannot change once it exists (a pod, a Job): record watches it as it runs, bind refuses it. */
  fixed?: boolean;
}

const POD_TEMPLATE = ['spec', 'template'];
const KINDS: readonly { names: readonly string[]; apiVersion: string; kind: string; template: readonly string[]; fixed?: boolean }[] = [
  { names: ['deploy', 'deployment', 'deployments'], apiVersion: 'apps/v1', kind: 'Deployment', template: POD_TEMPLATE },
  { names: ['sts', 'statefulset', 'statefulsets'], apiVersion: 'apps/v1', kind: 'StatefulSet', template: POD_TEMPLATE },
  { names: ['ds', 'daemonset', 'daemonsets'], apiVersion: 'apps/v1', kind: 'DaemonSet', template: POD_TEMPLATE },
  // The API server refuses any change of a Job's pod template (spec.template is immutable).
  { names: ['job', 'jobs'], apiVersion: 'batch/v1', kind: 'Job', template: POD_TEMPLATE, fixed: true },
  { names: ['cj', 'cronjob', 'cronjobs'], apiVersion: 'batch/v1', kind: 'CronJob', template: ['spec', 'jobTemplate', 'spec', 'template'] },
];

/** A pod is its own template: record may watch one as it runs, bind cannot change it. */
const POD = { apiVersion: 'v1', kind: 'Pod', template: [] as readonly string[], fixed: true };

/** `fixed`: also a pod or a Job, whose template cannot change (record watches them as they run). */
export function parseWorkloadRef(arg: string, opts: { fixed?: boolean } = {}): WorkloadRef {
  const slash = arg.indexOf('/');
  const [type, name] = slash > 0 ? [arg.slice(0, slash).toLowerCase(), arg.slice(slash + 1)] : ['', ''];
  if (['po', 'pod', 'pods'].includes(type)) {
    if (opts.fixed && name && !name.includes('/')) return { ...POD, name };
    throw new UserError(`${arg}: a pod's seccompProfile cannot change once it exists; bind the workload that creates it (deploy/, sts/, ds/, cronjob/)`);
  }
  const k = KINDS.find((x) => x.names.includes(type));
  if (!k || !name || name.includes('/')) {
    throw new UserError(`${arg}: expected TYPE/NAME with TYPE one of deploy, sts, ds, job, cronjob${opts.fixed ? ', pod' : ''}`);
  }
  if (k.fixed && !opts.fixed) {
    throw new UserError(
      `${arg}: a Job's pod template cannot change once the Job exists (the API server refuses it); set seccompProfile in the Job's manifest before creating it, or bind the CronJob that creates it (cronjob/NAME)`,
    );
  }
  return { apiVersion: k.apiVersion, kind: k.kind, name, template: k.template, ...(k.fixed ? { fixed: true } : {}) };
}

/** "deploy/web"-style name for reports. */
export function workloadName(ref: WorkloadRef): string {
  return `${ref.kind.toLowerCase()}/${ref.name}`;
}

export function podTemplate(ref: WorkloadRef, obj: KubernetesObject): V1PodTemplateSpec {
  let node: unknown = obj;
  for (const key of ref.template) node = (node as Record<string, unknown> | undefined)?.[key];
  if (!node || typeof node !== 'object') throw new UserError(`${workloadName(ref)} has no pod template at ${ref.template.join('.')}`);
  return node as V1PodTemplateSpec;
}

/** Every container name of the template (init containers too). */
export function containerNames(t: V1PodTemplateSpec): string[] {
  return [...(t.spec?.initContainers ?? []), ...(t.spec?.containers ?? [])].map((c) => c.name);
}

function nest(path: readonly string[], leaf: unknown): Record<string, unknown> {
  return path.reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), leaf as Record<string, unknown>);
}

/**
 * The server-side apply configuration that sets a Localhost seccompProfile: on the pod template
 * (every container without its own), or on one container. Applied again with the field manager,
 * it also removes what an earlier bind of ours set elsewhere.
 */
export function bindConfig(
  ref: WorkloadRef,
  namespace: string,
  localhostProfile: string,
  container: string | undefined,
  template: V1PodTemplateSpec,
): KubernetesObject {
  const seccompProfile = { type: 'Localhost', localhostProfile };
  let spec: Record<string, unknown>;
  if (container === undefined) spec = { securityContext: { seccompProfile } };
  else {
    const isInit = (template.spec?.initContainers ?? []).some((c) => c.name === container);
    spec = { [isInit ? 'initContainers' : 'containers']: [{ name: container, securityContext: { seccompProfile } }] };
  }
  return { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace }, ...nest(ref.template, { spec }) } as KubernetesObject;
}

/**
 * The server-side apply configuration for one Localhost profile per container (record --apply):
 * applied as kubectl-seccomp, it also drops a pod-level profile an earlier apply of ours set.
 */
export function bindContainersConfig(
  ref: WorkloadRef,
  namespace: string,
  profiles: ReadonlyMap<string, string>,
  template: V1PodTemplateSpec,
): KubernetesObject {
  const inits = new Set((template.spec?.initContainers ?? []).map((c) => c.name));
  const entry = (name: string) => ({ name, securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: profiles.get(name)! } } });
  const names = [...profiles.keys()].sort();
  const spec: Record<string, unknown> = {};
  const init = names.filter((n) => inits.has(n)).map(entry);
  const main = names.filter((n) => !inits.has(n)).map(entry);
  if (init.length > 0) spec['initContainers'] = init;
  if (main.length > 0) spec['containers'] = main;
  return { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace }, ...nest(ref.template, { spec }) } as KubernetesObject;
}

type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The values of `obj` at the fields a FieldsV1 tree names (f:NAME keys, k:{...} list items). */
function pickOwned(value: unknown, fields: Json): unknown {
  const owned = Object.entries(fields).filter(([k]) => k !== '.');
  // A leaf ({} or only "."): the whole value is the manager's.
  if (owned.length === 0) return structuredClone(value);
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const [k, sub] of owned) {
      if (!k.startsWith('k:')) continue;
      const key = JSON.parse(k.slice(2)) as Json;
      const item = value.find((x) => isJson(x) && Object.entries(key).every(([f, v]) => x[f] === v));
      if (item !== undefined && isJson(sub)) items.push({ ...(pickOwned(item, sub) as Json), ...key });
    }
    return items;
  }
  if (!isJson(value)) return structuredClone(value);
  const out: Json = {};
  for (const [k, sub] of owned) {
    if (!k.startsWith('f:') || !(k.slice(2) in value)) continue;
    out[k.slice(2)] = isJson(sub) ? pickOwned(value[k.slice(2)], sub) : structuredClone(value[k.slice(2)]);
  }
  return out;
}

/**
 * What `manager` last applied to obj, rebuilt from its managedFields: applying it again after
 * other applies of the same manager puts back exactly what it had (nothing when it had nothing).
 */
export function ownedConfig(ref: WorkloadRef, obj: KubernetesObject, manager: string): KubernetesObject {
  const entry = (obj.metadata?.managedFields ?? []).find((e) => e.manager === manager && e.operation === 'Apply');
  const picked = isJson(entry?.fieldsV1) ? (pickOwned(obj, entry.fieldsV1 as Json) as Json) : {};
  const { metadata: meta, apiVersion: _a, kind: _k, ...rest } = picked;
  const metadata = { ...(isJson(meta) ? meta : {}), name: ref.name, namespace: obj.metadata?.namespace };
  return { apiVersion: ref.apiVersion, kind: ref.kind, ...rest, metadata } as KubernetesObject;
}

export interface JsonPatchOp {
  op: 'add' | 'replace' | 'test';
  path: string;
  value?: unknown;
}

/**
 * JSON patch ops that put back the seccompProfiles of `original`'s template (pod level and per
 * container) where `current` lost them: values another manager had set, which an apply with force
 * took over and the restoring apply then removed. Each container is found by name, tested first.
 */
export function putBackProfiles(ref: WorkloadRef, original: KubernetesObject, current: KubernetesObject): JsonPatchOp[] {
  const before = podTemplate(ref, original).spec;
  const now = podTemplate(ref, current).spec;
  const base = `/${[...ref.template, 'spec'].join('/')}`;
  const ops: JsonPatchOp[] = [];
  const putBack = (path: string, was: { seccompProfile?: unknown } | undefined, is: { seccompProfile?: unknown } | undefined): void => {
    if (was?.seccompProfile === undefined || JSON.stringify(was.seccompProfile) === JSON.stringify(is?.seccompProfile)) return;
    if (is === undefined) ops.push({ op: 'add', path: `${path}/securityContext`, value: { seccompProfile: was.seccompProfile } });
    else ops.push({ op: is.seccompProfile === undefined ? 'add' : 'replace', path: `${path}/securityContext/seccompProfile`, value: was.seccompProfile });
  };
  putBack(base, before?.securityContext, now?.securityContext);
  for (const field of ['initContainers', 'containers'] as const) {
    (now?.[field] ?? []).forEach((c, i) => {
      const was = (before?.[field] ?? []).find((x) => x.name === c.name);
      const at = ops.length;
      putBack(`${base}/${field}/${i}`, was?.securityContext, c.securityContext);
      if (ops.length > at) ops.splice(at, 0, { op: 'test', path: `${base}/${field}/${i}/name`, value: c.name });
    });
  }
  return ops;
}

/** The apply configuration with none of our fields: the server removes what we set, nothing else. */
export function unbindConfig(ref: WorkloadRef, namespace: string): KubernetesObject {
  return { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace } };
}
