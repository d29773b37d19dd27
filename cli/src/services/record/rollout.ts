import type { KubernetesObject, V1DaemonSet } from '@kubernetes/client-node';
import { rolloutStatus } from '../install/rollout.js';

export interface WorkloadRollout {
  complete: boolean;
  /** The controller has seen the latest spec (else the counts are of the previous one). */
  observed: boolean;
  desired: number;
  updated: number;
  ready: number;
}

interface ReplicaStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
}

/**
 * Pure: has the controller rolled the latest pod template out, as `kubectl rollout status` judges?
 * Jobs, CronJobs and pods do not roll: the template applies to the pods created next.
 */
export function workloadRollout(obj: KubernetesObject): WorkloadRollout {
  const spec = (obj as { spec?: { replicas?: number } }).spec;
  const s = (obj as { status?: ReplicaStatus }).status;
  const observed = s !== undefined && (s.observedGeneration ?? 0) >= (obj.metadata?.generation ?? 0);
  const desired = spec?.replicas ?? 1;
  switch (obj.kind) {
    case 'Deployment': {
      const updated = s?.updatedReplicas ?? 0;
      // Old pods still counted in status.replicas are still running the previous template.
      const complete = observed && updated >= desired && (s?.replicas ?? 0) <= updated && (s?.availableReplicas ?? 0) >= desired;
      return { complete, observed, desired, updated, ready: s?.availableReplicas ?? 0 };
    }
    case 'StatefulSet': {
      const updated = s?.updatedReplicas ?? 0;
      return { complete: observed && updated >= desired && (s?.readyReplicas ?? 0) >= desired, observed, desired, updated, ready: s?.readyReplicas ?? 0 };
    }
    case 'DaemonSet': {
      const r = rolloutStatus(obj as V1DaemonSet);
      return { complete: r.complete, observed, desired: r.desired, updated: r.updated, ready: r.available };
    }
    default:
      return { complete: true, observed: true, desired: 0, updated: 0, ready: 0 };
  }
}
