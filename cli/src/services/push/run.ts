import type { NodeInfo, SyncProfilesResponse } from '@kubectl-seccomp/proto';
import { serializeProfile, sha256Hex } from '@kubectl-seccomp/profiles';
import type { PushNode, PushOutput, PushProfile, PushResult, PushSummary } from '../../output/types.js';
import type { TargetSet } from '../../targets/types.js';
import { fanOut, type FanOutOptions, type NodeOutcome } from '../fanout.js';
import { missingHeader, nodeHeader } from '../node-report.js';
import type { LocalProfile } from './local-profiles.js';
import { applyModes, cachedRenderer, localhostProfile, type NodePlan, type PushModes } from './plan.js';
import { FleetMemory, syncNode, type NodeSync } from './sync-node.js';
import { PruneRefusedError, referencedDeletions } from './prune-guard.js';

export interface PushOptions extends FanOutOptions, PushModes {
  prune: boolean;
  dryRun: boolean;
  /** Do it anyway: overwrite and adopt files on the nodes that this tool did not write, and prune profiles live pods reference. */
  force: boolean;
  /** As normalized into the profiles' paths; reported back. */
  prefix: string;
  /** Kubernetes mode: record the desired profiles as ConfigMaps after the sync. */
  record: boolean;
}

/** Records the desired profiles (Kubernetes mode), then syncs every node (see syncNode). */
export async function runPush(set: TargetSet, local: readonly LocalProfile[], opts: PushOptions): Promise<PushOutput> {
  if (opts.prune && !opts.force) await refuseReferencedPrune(set, local, opts);
  const wanted = local.map((p) => ({ ...p, profile: applyModes(p.profile, opts) }));
  const profiles: PushProfile[] = wanted.map((p) => ({ source: p.source, path: p.path, sha256: sha256Hex(serializeProfile(p.profile)) }));
  // Recorded before the nodes are synced: the ConfigMaps are what every agent's reconciler converges
  // on, so a resync between our sync and a later record would put the previous version back. (The
  // price: a reconciler may write a file first, and the report then says unchanged for it.)
  let recorded: PushOutput['recorded'];
  if (opts.record && set.recordDesired) {
    const desired = wanted.map((p, i) => ({ path: p.path, text: serializeProfile(p.profile), sha256: profiles[i]!.sha256 }));
    try {
      const { deleted } = await set.recordDesired(desired, { prune: opts.prune, dryRun: opts.dryRun, signal: opts.signal });
      recorded = opts.prune ? { ok: true, error: '', deleted } : { ok: true, error: '' };
    } catch (err) {
      recorded = { ok: false, error: (err as Error).message };
    }
  }
  const render = cachedRenderer();
  const memory = new FleetMemory();
  const outcomes = await fanOut(set.targets, (api, ctx) => syncNode(api, ctx, wanted, opts, render, memory), opts);
  const nodes = [...outcomes.map(pushNode), ...set.missing.map((m): PushNode => ({ ...missingHeader(m), results: [], warnings: [] }))];
  const out: PushOutput = { dryRun: opts.dryRun, prefix: opts.prefix, profiles, nodes, summary: summarize(nodes) };
  if (recorded) out.recorded = recorded;
  return out;
}

/** Kubernetes mode: a dry run first, then PruneRefusedError when it would delete what pods reference. */
async function refuseReferencedPrune(set: TargetSet, local: readonly LocalProfile[], opts: PushOptions): Promise<void> {
  const refs = await set.profileReferences?.(opts.signal);
  if (!refs?.length) return;
  const preview = await runPush(set, local, { ...opts, dryRun: true, force: true });
  const blocked = referencedDeletions(preview, refs);
  if (blocked.length) throw new PruneRefusedError(blocked);
}

function pushNode(outcome: NodeOutcome<NodeSync>): PushNode {
  const header = nodeHeader(outcome, outcome.ok ? outcome.value.response.node : undefined);
  if (!outcome.ok) return { ...header, results: [], warnings: [] };
  const { plan, response } = outcome.value;
  const results = response.results.map((r) => pushResult(r, plan, response.node));
  return { ...header, info: response.node, results, warnings: plan.warnings };
}

function pushResult(r: SyncProfilesResponse['results'][number], plan: NodePlan, info: NodeInfo): PushResult {
  const planned = plan.files.find((f) => f.path === r.path);
  return {
    path: r.path,
    outcome: r.outcome,
    sha256: r.sha256,
    error: r.error,
    flattened: planned?.flattened ?? false,
    localhostProfile: localhostProfile(info, r.path),
  };
}

function summarize(nodes: PushNode[]): PushSummary {
  const results = nodes.flatMap((n) => n.results);
  const count = (outcome: PushResult['outcome']): number => results.filter((r) => r.outcome === outcome).length;
  return {
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    deleted: count('deleted'),
    adopted: count('adopted'),
    error: count('error'),
    unreachable: nodes.filter((n) => n.status === 'unreachable' || n.status === 'no-agent').length,
  };
}

/** 2 when a node could not be reached, else 1 when a node or a file failed, else 0. */
export function pushExitCode(out: PushOutput): number {
  if (out.summary.unreachable > 0) return 2;
  return out.summary.error > 0 || out.nodes.some((n) => n.status === 'error') || out.recorded?.ok === false ? 1 : 0;
}
