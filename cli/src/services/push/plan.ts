import { posix } from 'node:path';
import type { NodeInfo, ProfileInfo, SyncProfilesRequest } from '@kubectl-seccomp/proto';
import { renderForNode, toAuditMode, withLogFlag, type NodeDescription, type RenderedProfile, type SeccompProfile } from '@kubectl-seccomp/profiles';
import type { LocalProfile } from './local-profiles.js';

export interface PushModes {
  /** Every denial becomes SCMP_ACT_LOG (toAuditMode). */
  audit: boolean;
  /** Adds SECCOMP_FILTER_FLAG_LOG so ERRNO/TRAP denials are logged (withLogFlag). */
  logDenials: boolean;
}

/** The profile as wanted on every node, before per-node flattening. */
export function applyModes(profile: SeccompProfile, modes: PushModes): SeccompProfile {
  const audited = modes.audit ? toAuditMode(profile) : profile;
  return modes.logDenials ? withLogFlag(audited) : audited;
}

export interface PlannedFile {
  path: string;
  sha256: string;
  /** flatten changed the profile: Docker-format parts were resolved for this node. */
  flattened: boolean;
}

export interface NodePlan {
  request: SyncProfilesRequest;
  files: PlannedFile[];
  warnings: string[];
}

export type NodeRenderer = (profile: SeccompProfile, info: NodeInfo) => RenderedProfile & { bytes: Uint8Array };

/** What rendering depends on (renderForNode reads these fields only): nodes of one kind get the same bytes. */
export function nodeKind(info: NodeDescription): string {
  return `${info.architectures[0] ?? ''}|${info.machine}|${info.kernelRelease}|${info.filterFlagLogSupported ?? ''}`;
}

/**
 * Nodes of one architecture and kernel get the same bytes: each profile is rendered once per kind
 * of node, not once per node (a push to hundreds of nodes would otherwise spend its time here).
 */
export function cachedRenderer(): NodeRenderer {
  const byKind = new Map<string, WeakMap<SeccompProfile, RenderedProfile & { bytes: Uint8Array }>>();
  const encoder = new TextEncoder();
  return (profile, info) => {
    const kind = nodeKind(info);
    let rendered = byKind.get(kind);
    if (!rendered) byKind.set(kind, (rendered = new WeakMap()));
    let out = rendered.get(profile);
    if (!out) {
      const r = renderForNode(profile, info);
      rendered.set(profile, (out = { ...r, bytes: encoder.encode(r.text) }));
    }
    return out;
  };
}

/**
 * What one node gets: each profile rendered for the node's arch and kernel (what its runtime will
 * really enforce; the same bytes the agent's ConfigMap reconciler writes), sent only when its
 * sha256 differs from the node's copy.
 */
export function planNode(
  info: NodeInfo,
  existing: readonly ProfileInfo[],
  profiles: readonly LocalProfile[],
  opts: PushModes & { prune: boolean; dryRun: boolean; force?: boolean },
  render: NodeRenderer = cachedRenderer(),
): NodePlan {
  const onNode = new Map(existing.map((p) => [p.path, p.sha256]));
  const request: SyncProfilesRequest = { files: [], unchanged: [], prune: opts.prune, dryRun: opts.dryRun, force: opts.force === true };
  const files: PlannedFile[] = [];
  for (const p of profiles) {
    const { bytes, sha256, flattened } = render(p.profile, info);
    files.push({ path: p.path, sha256, flattened });
    if (onNode.get(p.path) === sha256) request.unchanged.push({ path: p.path, sha256 });
    else request.files.push({ path: p.path, content: bytes });
  }
  return { request, files, warnings: nodeWarnings(info, opts) };
}

function nodeWarnings(info: NodeInfo, opts: PushModes): string[] {
  const warnings: string[] = [];
  if (opts.logDenials && !info.filterFlagLogSupported) {
    const runtime = `${info.ociRuntime || 'the OCI runtime'} ${info.ociRuntimeVersion}`.trim();
    warnings.push(
      `--log-denials: ${runtime} takes no seccomp flags (SECCOMP_FILTER_FLAG_LOG needs runc >= 1.2 or crun >= 0.19): the flag is dropped, ERRNO denials stay silent here`,
    );
  }
  if (localhostProfile(info, 'x') === '') {
    warnings.push(
      `the agent writes to ${info.profileDir}, outside the kubelet's ${kubeletSeccompDir(info)}: pods cannot reference these profiles (run doctor)`,
    );
  }
  return warnings;
}

function kubeletSeccompDir(info: NodeInfo): string {
  return posix.join(info.kubeletRootDir || '/var/lib/kubelet', 'seccomp');
}

/** The localhostProfile value for `path` on this node: relative to <kubelet root-dir>/seccomp; "" when outside it. */
export function localhostProfile(info: NodeInfo, path: string): string {
  const rel = posix.relative(kubeletSeccompDir(info), posix.join(info.profileDir, path));
  return rel.startsWith('../') || rel === '..' || posix.isAbsolute(rel) ? '' : rel;
}
