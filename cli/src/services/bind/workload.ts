import type { KubernetesObject, V1PodTemplateSpec } from '@kubernetes/client-node';
import { UserError } from '../../errors.js';

/** A workload as the user names it: deploy/web, sts/db, ds/agent, job/x, cronjob/y. */
export interface WorkloadRef {
  apiVersion: string;
  kind: string;
  name: string;
  /** Where the pod template is in the object. */
  template: readonly string[];
}

const POD_TEMPLATE = ['spec', 'template'];
const KINDS: readonly { names: readonly string[]; apiVersion: string; kind: string; template: readonly string[] }[] = [
  { names: ['deploy', 'deployment', 'deployments'], apiVersion: 'apps/v1', kind: 'Deployment', template: POD_TEMPLATE },
  { names: ['sts', 'statefulset', 'statefulsets'], apiVersion: 'apps/v1', kind: 'StatefulSet', template: POD_TEMPLATE },
  { names: ['ds', 'daemonset', 'daemonsets'], apiVersion: 'apps/v1', kind: 'DaemonSet', template: POD_TEMPLATE },
  { names: ['job', 'jobs'], apiVersion: 'batch/v1', kind: 'Job', template: POD_TEMPLATE },
  { names: ['cj', 'cronjob', 'cronjobs'], apiVersion: 'batch/v1', kind: 'CronJob', template: ['spec', 'jobTemplate', 'spec', 'template'] },
];

export function parseWorkloadRef(arg: string): WorkloadRef {
  const slash = arg.indexOf('/');
  const [type, name] = slash > 0 ? [arg.slice(0, slash).toLowerCase(), arg.slice(slash + 1)] : ['', ''];
  if (['po', 'pod', 'pods'].includes(type)) {
    throw new UserError(`${arg}: a pod's seccompProfile cannot change once it exists; bind the workload that creates it (deploy/, sts/, ds/, job/, cronjob/)`);
  }
  const k = KINDS.find((x) => x.names.includes(type));
  if (!k || !name || name.includes('/')) throw new UserError(`${arg}: expected TYPE/NAME with TYPE one of deploy, sts, ds, job, cronjob`);
  return { apiVersion: k.apiVersion, kind: k.kind, name, template: k.template };
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

/** The apply configuration with none of our fields: the server removes what we set, nothing else. */
export function unbindConfig(ref: WorkloadRef, namespace: string): KubernetesObject {
  return { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace } };
}
