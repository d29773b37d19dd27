import type { KubeObject } from './store.js';

/** Builders for the objects the tests put in the API server; shaped like what a real cluster returns. */

export function node(name: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...labels } },
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      nodeInfo: { kubeletVersion: 'v1.31.0', containerRuntimeVersion: 'containerd://1.7.22', architecture: 'amd64', operatingSystem: 'linux' },
    },
  };
}

export function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } };
}

export interface PodOptions {
  namespace?: string;
  node: string;
  uid?: string;
  labels?: Record<string, string>;
  phase?: string;
  ready?: boolean;
  /** Container name -> container ID (without the runtime prefix). */
  containers?: Record<string, string>;
  podSecurityContext?: Record<string, unknown>;
  containerSecurityContext?: Record<string, Record<string, unknown>>;
  annotations?: Record<string, string>;
  ports?: { name: string; containerPort: number }[];
}

export function pod(name: string, o: PodOptions): KubeObject {
  const containers = o.containers ?? { main: '' };
  const ready = o.ready ?? true;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      ...(o.uid ? { uid: o.uid } : {}),
      labels: o.labels ?? {},
      ...(o.annotations ? { annotations: o.annotations } : {}),
    },
    spec: {
      nodeName: o.node,
      ...(o.podSecurityContext ? { securityContext: o.podSecurityContext } : {}),
      containers: Object.keys(containers).map((c) => ({
        name: c,
        image: 'busybox',
        ...(o.containerSecurityContext?.[c] ? { securityContext: o.containerSecurityContext[c] } : {}),
        ...(o.ports ? { ports: o.ports } : {}),
      })),
    },
    status: {
      phase: o.phase ?? 'Running',
      podIP: '127.0.0.1',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: Object.entries(containers).map(([c, id]) => ({
        name: c,
        ready,
        restartCount: 0,
        image: 'busybox',
        imageID: '',
        ...(id ? { containerID: `containerd://${id}` } : {}),
        state: ready ? { running: { startedAt: new Date().toISOString() } } : { waiting: { reason: 'ContainerCreating' } },
      })),
    },
  };
}

/** A Deployment of `replicas` pods labelled app=NAME, with this pod template spec (containers and security contexts). */
export function deployment(name: string, namespace: string, templateSpec: Record<string, unknown>, replicas = 2): KubeObject {
  return replicated('Deployment', name, namespace, templateSpec, replicas);
}

/** A StatefulSet of pods NAME-0..replicas-1 labelled app=NAME, with this pod template spec. */
export function statefulSet(name: string, namespace: string, templateSpec: Record<string, unknown>, replicas = 2): KubeObject {
  const sts = replicated('StatefulSet', name, namespace, templateSpec, replicas);
  return { ...sts, spec: { ...(sts['spec'] as object), serviceName: name } };
}

function replicated(kind: string, name: string, namespace: string, templateSpec: Record<string, unknown>, replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: templateSpec },
    },
  };
}
