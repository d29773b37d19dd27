import type { MissingAgent } from '../../targets/types.js';

/** One object install applied or uninstall deleted. */
export interface ObjectResult {
  kind: string;
  name: string;
  namespace?: string;
  /** applied: server-side apply accepted it; deleted / absent: uninstall removed it / found nothing. */
  action: 'applied' | 'deleted' | 'absent';
}

/** The agent DaemonSet's rollout, as its status reports it. */
export interface RolloutStatus {
  /** Every scheduled node runs an updated, available agent pod. */
  complete: boolean;
  desired: number;
  updated: number;
  ready: number;
  available: number;
}

export interface InstallReport {
  namespace: string;
  image: string;
  objects: ObjectResult[];
  /** Absent with --wait=false. */
  rollout?: RolloutStatus;
  /** Nodes without a ready agent pod when the wait ended, each with why. */
  notReady: MissingAgent[];
}

export interface UninstallReport {
  namespace: string;
  objects: ObjectResult[];
}
