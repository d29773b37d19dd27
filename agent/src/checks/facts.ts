import type { ContainerProcess } from '@kubectl-seccomp/proto';
import type { CaptureFacts } from './capture-mode.js';
import type { GateState } from '../kube/readiness-taint.js';
import type { KernelFacts } from '../host/kernel.js';
import type { KubeletFacts, KubeletSearch } from '../host/kubelet.js';
import type { LogFacts } from '../host/logs.js';
import type { ProfileDirFacts } from '../host/profile-dir.js';
import type { RuntimeFacts } from '../host/runtime.js';

/** Everything the checks look at, read once from the node: plain data, no I/O after this. */
export interface NodeFacts {
  nodeName: string;
  agentVersion: string;
  /** As given to the agent, absolute; "/" in local mode. */
  hostRoot: string;
  /** How many processes <hostRoot>/proc showed: 0 means the host's /proc is not visible. */
  processCount: number;
  kernel: KernelFacts;
  kubelet: KubeletFacts | undefined;
  /** Kubelet look-alikes: ties that left no kubelet chosen, and processes ruled out. */
  kubeletSearch: Pick<KubeletSearch, 'ambiguous' | 'ignored'>;
  /** The kubelet's root dir with symlinks resolved on the host; undefined without a kubelet. */
  kubeletRootResolved: string | undefined;
  profileDir: ProfileDirFacts;
  /** Profile ConfigMaps not applied on this node and why; undefined when the agent does not reconcile. */
  skippedConfigMaps: { configMap: string; reason: string }[] | undefined;
  /** The reconciler's last outcome and the readiness gate; undefined when the agent does not reconcile. */
  reconcile?: ReconcileFacts | undefined;
  logs: LogFacts;
  runtime: RuntimeFacts;
  containers: ContainerProcess[];
  /** What the running violation pipeline captures with; undefined where there is none. */
  capture?: CaptureFacts | undefined;
}

/** What the reconciler and the readiness gate (agent/src/kube/readiness-taint.ts) report, as plain data. */
export interface ReconcileFacts {
  /** pending: no reconcile finished yet; complete: every recorded profile written and read back. */
  state: 'pending' | 'complete' | 'incomplete';
  problems: string[];
  everComplete: boolean;
  gate: GateState;
}
