import type { AgentApi, NodeInfo, ProfileInfo, SyncProfilesRequest, SyncProfilesResponse, SyncResult } from '@kubectl-seccomp/proto';
import type { NodeContext } from '../fanout.js';
import type { LocalProfile } from './local-profiles.js';
import { nodeKind, planNode, type NodePlan, type NodeRenderer, type PushModes } from './plan.js';

export interface NodeSync {
  plan: NodePlan;
  response: SyncProfilesResponse;
}

export type SyncNodeOptions = PushModes & { prune: boolean; dryRun: boolean; force?: boolean };

/**
 * What the nodes of one push have shown so far, to guess what the next one holds. A push to a
 * fleet that is already in sync (a re-run, CI) finds every node like the last: then one
 * SyncProfiles naming the digests rendered for the usual kind of node confirms it in one round
 * trip, instead of listing first. A push that changes things stops guessing at its first node.
 */
export class FleetMemory {
  readonly #kinds = new Map<string, { info: NodeInfo; nodes: number }>();
  #lastInSync = false;

  /** The most common kind of node so far, when the last node done needed nothing sent. */
  guess(): NodeInfo | undefined {
    if (!this.#lastInSync) return undefined;
    let best: { info: NodeInfo; nodes: number } | undefined;
    for (const kind of this.#kinds.values()) if (!best || kind.nodes > best.nodes) best = kind;
    return best?.info;
  }

  record(info: NodeInfo, inSync: boolean): void {
    const key = nodeKind(info);
    const kind = this.#kinds.get(key);
    if (kind) kind.nodes++;
    else this.#kinds.set(key, { info, nodes: 1 });
    this.#lastInSync = inSync;
  }
}

/**
 * Brings one node to the wanted profiles: when `memory` has a guess, one SyncProfiles that sends
 * no bytes and names the digests the node should already have; it counts only if the node is of
 * the guessed kind and has every one of them. Otherwise (or at once without a guess): list, plan
 * from what is really there, sync. Either way the report is the agent's answer to a full request.
 */
export async function syncNode(
  api: AgentApi,
  ctx: NodeContext,
  wanted: readonly LocalProfile[],
  opts: SyncNodeOptions,
  render: NodeRenderer,
  memory: FleetMemory,
): Promise<NodeSync> {
  const guess = memory.guess();
  let first: SyncProfilesResponse | undefined;
  if (guess) {
    const expected = wanted.map((p): ProfileInfo => ({
      path: p.path,
      sha256: render(p.profile, guess).sha256,
      size: 0,
      managed: false,
      error: '',
      changedUnixMs: 0,
    }));
    const request: SyncProfilesRequest = {
      files: [],
      unchanged: expected.map(({ path, sha256 }) => ({ path, sha256 })),
      prune: opts.prune,
      dryRun: opts.dryRun,
      force: opts.force === true,
    };
    first = await api.syncProfiles(request, ctx.call());
    // Results for other paths are prune outcomes: part of the answer either way.
    const wantedPaths = new Set(expected.map((e) => e.path));
    const unchanged = first.results.filter((r) => wantedPaths.has(r.path) && r.outcome === 'unchanged').length;
    if (nodeKind(first.node) === nodeKind(guess) && unchanged === expected.length) {
      memory.record(first.node, true);
      return { plan: planNode(first.node, expected, wanted, opts, render), response: first };
    }
  }
  const listing = await api.listProfiles(ctx.call());
  const plan = planNode(listing.node, listing.profiles, wanted, opts, render);
  memory.record(listing.node, plan.request.files.length === 0);
  const response = await api.syncProfiles(plan.request, ctx.call());
  return { plan, response: withUnanswered(first ? withPruneResults(response, first, wanted) : response, wanted) };
}

/** A file the agent gave no result for was not synced: an error, never silently "in sync". */
function withUnanswered(response: SyncProfilesResponse, wanted: readonly LocalProfile[]): SyncProfilesResponse {
  const answered = new Set(response.results.map((r) => r.path));
  const missing = wanted.filter((p) => !answered.has(p.path));
  if (missing.length === 0) return response;
  const errors = missing.map((p): SyncResult => ({ path: p.path, outcome: 'error', sha256: '', error: 'the agent did not report this file' }));
  return { ...response, results: [...response.results, ...errors].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
}

/**
 * A prune by the guessing request already happened (deleted files, or a hand-edited file released
 * with an error): the second request no longer sees those files, so their results come from the first.
 */
function withPruneResults(response: SyncProfilesResponse, first: SyncProfilesResponse, wanted: readonly LocalProfile[]): SyncProfilesResponse {
  const known = new Set([...wanted.map((p) => p.path), ...response.results.map((r) => r.path)]);
  const earlier = first.results.filter((r) => !known.has(r.path));
  if (earlier.length === 0) return response;
  const byPath = (a: SyncResult, b: SyncResult): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return { ...response, results: [...response.results, ...earlier].sort(byPath) };
}
