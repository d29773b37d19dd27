import type { CheckResult, DoctorResponse } from '@kubectl-seccomp/proto';
import { checkCaptureMode } from './capture-mode.js';
import { checkContainersSeccomp } from './containers-seccomp.js';
import type { NodeFacts } from './facts.js';
import { checkKernelActionsLogged } from './kernel-actions-logged.js';
import { checkKernelAudit } from './kernel-audit.js';
import { checkKernelRelease } from './kernel-release.js';
import { checkKernelSeccomp } from './kernel-seccomp.js';
import { checkKubeletConfig } from './kubelet-config.js';
import { checkKubeletProcess } from './kubelet-process.js';
import { checkKubeletRootDir } from './kubelet-root-dir.js';
import { checkKubeletSeccompDefault } from './kubelet-seccomp-default.js';
import { checkKubeletSeccompProfileRoot } from './kubelet-seccomp-profile-root.js';
import { checkLogAuditd } from './log-auditd.js';
import { checkLogJournald } from './log-journald.js';
import { checkLogKmsg } from './log-kmsg.js';
import { checkLogRateLimit } from './log-rate-limit.js';
import { checkLogSources } from './log-sources.js';
import { nodeInfo } from './node-info.js';
import { checkProfileDir } from './profile-dir.js';
import { checkProfileConfigMaps } from './profile-configmaps.js';
import { checkProfileReconcile } from './profile-reconcile.js';
import { checkProfileFiles } from './profile-files.js';
import { readNodeFacts, type NodeEnvironment } from './read-facts.js';
import { checkContainerRuntime } from './runtime-container.js';
import { checkOciRuntime } from './runtime-oci.js';

export type { NodeFacts, ReconcileFacts } from './facts.js';
export type { CaptureFacts } from './capture-mode.js';
export type { CommandRunner } from '../host/runner.js';
export { defaultProfileDir, readNodeFacts, type NodeEnvironment } from './read-facts.js';
export { nodeInfo } from './node-info.js';

/** Every check, in the order the report shows them. */
export const CHECKS: readonly ((facts: NodeFacts) => CheckResult)[] = [
  checkKubeletProcess,
  checkKubeletConfig,
  checkKubeletSeccompDefault,
  checkKubeletSeccompProfileRoot,
  checkKubeletRootDir,
  checkProfileDir,
  checkProfileFiles,
  checkProfileConfigMaps,
  checkProfileReconcile,
  checkKernelSeccomp,
  checkKernelActionsLogged,
  checkKernelRelease,
  checkKernelAudit,
  checkLogSources,
  checkLogAuditd,
  checkLogKmsg,
  checkLogJournald,
  checkLogRateLimit,
  checkCaptureMode,
  checkContainerRuntime,
  checkOciRuntime,
  checkContainersSeccomp,
];

export function runChecks(facts: NodeFacts): CheckResult[] {
  return CHECKS.map((check) => check(facts));
}

export async function doctor(env: NodeEnvironment): Promise<DoctorResponse> {
  const facts = await readNodeFacts(env);
  return { node: nodeInfo(facts), checks: runChecks(facts), containers: facts.containers };
}
