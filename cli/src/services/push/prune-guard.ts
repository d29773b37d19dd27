import type { PushOutput } from '../../output/types.js';
import { UserError } from '../../errors.js';
import { describeReference, type ProfileReference } from '../references.js';

/** A profile a prune would delete that containers still reference. */
export interface ReferencedDeletion {
  /** Relative to the profile dir, as push reports it. */
  path: string;
  /** The node it would be deleted from; "" for the recorded ConfigMap (every node, later). */
  node: string;
  references: ProfileReference[];
}

/**
 * The deletions of a (dry-run) push that live pods still reference: on a node, by the localhostProfile
 * that file has there (its path when the profile dir is not under the kubelet's); in the ConfigMaps,
 * by path on every node. A pod not yet scheduled may land anywhere.
 */
export function referencedDeletions(preview: PushOutput, refs: readonly ProfileReference[]): ReferencedDeletion[] {
  const out: ReferencedDeletion[] = [];
  const add = (path: string, node: string, value: string) => {
    const references = refs.filter((r) => r.localhostProfile === value && (node === '' || r.node === '' || r.node === node));
    if (references.length) out.push({ path, node, references });
  };
  for (const n of preview.nodes) {
    for (const r of n.results) if (r.outcome === 'deleted') add(r.path, n.node, r.localhostProfile || r.path);
  }
  for (const path of preview.recorded?.deleted ?? []) add(path, '', path);
  return out;
}

/** push --prune would delete profiles running pods need: nothing was changed. */
export class PruneRefusedError extends UserError {
  constructor(readonly deletions: ReferencedDeletion[]) {
    const lines = deletions.map((d) => `  ${d.path}${d.node ? ` on ${d.node}` : ' (recorded ConfigMap)'}: ${d.references.map(describeReference).join(', ')}`);
    super(
      `--prune would delete profiles that pods still reference (their next container start would fail); nothing was changed. Use --force to prune anyway.\n${lines.join('\n')}`,
      1,
    );
  }
}
