import path from 'node:path';
import { containersOf } from '../host/containers.js';
import { inRoot } from '../host/fs.js';
import { readKernel } from '../host/kernel.js';
import { kubeletRootDir } from '../host/kubelet-flags.js';
import { findKubeletProcess, readKubelet } from '../host/kubelet.js';
import { readLogs } from '../host/logs.js';
import { listProcesses } from '../host/proc.js';
import { readProfileDir } from '../host/profile-dir.js';
import { resolveInRoot } from '../host/resolve.js';
import { execRunner, type CommandRunner } from '../host/runner.js';
import { readRuntimes } from '../host/runtime.js';
import type { CaptureFacts } from './capture-mode.js';
import type { NodeFacts, ReconcileFacts } from './facts.js';

export interface NodeEnvironment {
  /** Absolute; "/" for local mode. */
  hostRoot: string;
  /** Absolute path as the agent sees it (may be under hostRoot or anywhere). */
  profileDir: string;
  nodeName: string;
  agentVersion: string;
  /**
   * Runs host binaries (`runc --version`). Used only when hostRoot is "/": binaries under another
   * host root are never executed. Defaults to running them with execFile.
   */
  runCommand?: CommandRunner;
  /** The profile ConfigMaps the reconciler could not apply; absent when nothing reconciles (--local, no API). */
  skippedConfigMaps?: () => readonly { configMap: string; reason: string }[];
  /** The reconciler's state and the readiness gate's; absent when nothing reconciles. */
  reconcile?: () => ReconcileFacts;
  /** The journalctl the journald source runs (default: found on PATH); pass the same to both. */
  journalctl?: string;
  /** What the running violation pipeline captures with (see CaptureFacts). */
  capture?: () => CaptureFacts | undefined;
}

/** All the I/O of the doctor: reads what the node has into plain data. Never throws for a missing file. */
export async function readNodeFacts(env: NodeEnvironment): Promise<NodeFacts> {
  const hostRoot = path.resolve(env.hostRoot);
  const procs = await listProcesses(hostRoot);
  const run = hostRoot === '/' ? (env.runCommand ?? execRunner) : undefined;
  const kubelet = await readKubelet(hostRoot, procs);
  const { ambiguous, ignored } = findKubeletProcess(procs);
  const [kernel, profileDir, logs, runtime, kubeletRootResolved] = await Promise.all([
    readKernel(hostRoot),
    readProfileDir(hostRoot, path.resolve(env.profileDir)),
    readLogs(hostRoot, env.journalctl),
    readRuntimes(hostRoot, procs, run),
    kubelet ? resolveInRoot(hostRoot, kubeletRootDir(kubelet.flags)) : Promise.resolve(undefined),
  ]);
  return {
    nodeName: env.nodeName,
    agentVersion: env.agentVersion,
    hostRoot,
    processCount: procs.length,
    kernel,
    kubelet,
    kubeletSearch: { ambiguous, ignored },
    skippedConfigMaps: env.skippedConfigMaps ? [...env.skippedConfigMaps()] : undefined,
    reconcile: env.reconcile?.(),
    kubeletRootResolved,
    profileDir,
    logs,
    runtime,
    containers: containersOf(procs),
    capture: env.capture?.(),
  };
}

/**
 * Where the kubelet's seccomp dir is on this host, as the agent sees it: <root-dir>/seccomp from
 * the kubelet's flags, <hostRoot>/var/lib/kubelet/seccomp when no kubelet is visible.
 */
export async function defaultProfileDir(hostRoot: string): Promise<string> {
  const root = path.resolve(hostRoot);
  const procs = await listProcesses(root);
  const kubelet = await readKubelet(root, procs);
  const flags = kubelet?.flags ?? {};
  const dir = flags['seccomp-profile-root'] || path.posix.join(kubeletRootDir(flags), 'seccomp');
  return inRoot(root, dir);
}
