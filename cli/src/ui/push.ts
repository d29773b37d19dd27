import type { PushNode, PushOutput, PushResult } from '../output/types.js';
import { hanging } from './hanging.js';
import { nodeLine } from './node-line.js';
import { columns, type TableView } from './table.js';
import { terminalText } from './terminal-text.js';

/** Per node: each file's outcome and digest, warnings, a count; then the localhostProfile values. */
export function renderPush(out: PushOutput, view: TableView = {}): string {
  const blocks = out.nodes.map((n) => nodeBlock(n, out, view));
  const refs = localhostRefs(out);
  if (refs.length > 0) blocks.push(`Use in securityContext.seccompProfile (type: Localhost):\n${columns(refs, 2, undefined, view.width)}`);
  if (out.recorded) {
    blocks.push(
      out.recorded.ok
        ? `Recorded ${out.profiles.length} profile(s) as ConfigMaps: nodes that join later get them too.`
        : `! Could not record the profiles as ConfigMaps (nodes that join later will not get them): ${terminalText(out.recorded.error)}`,
    );
  }
  if (out.dryRun) blocks.push('Dry run: no node was changed.');
  return blocks.join('\n\n');
}

/** What a dry run reports is what would happen: "would create", not "created". */
const WOULD: Partial<Record<PushResult['outcome'], string>> = { created: 'would create', updated: 'would update', deleted: 'would delete' };
const said = (outcome: PushResult['outcome'], dryRun: boolean): string => (dryRun ? (WOULD[outcome] ?? outcome) : outcome);

function nodeBlock(n: PushNode, out: PushOutput, view: TableView): string {
  const lines = [nodeLine(n)];
  if (n.status !== 'ok') return lines[0]!;
  const { dryRun } = out;
  const source = (path: string) => out.profiles.find((p) => p.path === path)?.source ?? '';
  // wide: the whole digest (to compare with sha256sum on the node), the local file and the localhostProfile value.
  const rows = n.results.map((r) =>
    view.wide
      ? [r.path, said(r.outcome, dryRun), r.sha256, source(r.path), r.localhostProfile, note(r)]
      : [r.path, said(r.outcome, dryRun), r.sha256.slice(0, 12), note(r)],
  );
  const head = view.wide ? ['PATH', 'OUTCOME', 'SHA256', 'SOURCE', 'LOCALHOSTPROFILE', ''] : ['PATH', 'OUTCOME', 'SHA256', ''];
  if (rows.length > 0) lines.push(columns(rows, 2, head, view.width));
  lines.push(...n.warnings.map((w) => hanging('  ! ', terminalText(w), view.width)));
  lines.push(`  ${nodeCounts(n.results, dryRun)}`);
  return lines.join('\n');
}

function note(r: PushResult): string {
  if (r.outcome === 'error') return r.error;
  return r.flattened ? 'Docker format: flattened for this node' : '';
}

function nodeCounts(results: PushResult[], dryRun: boolean): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(said(r.outcome, dryRun), (counts.get(said(r.outcome, dryRun)) ?? 0) + 1);
  return counts.size === 0 ? 'nothing to do' : [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(', ');
}

/**
 * One row per pushed profile: the value to put in localhostProfile, as the nodes that answered say it
 * (distinct values when they disagree); none for a profile no node holds, e.g. every node unreachable.
 */
function localhostRefs(out: PushOutput): string[][] {
  return out.profiles.flatMap((p) => {
    const values = new Set(
      out.nodes.flatMap((n) => n.results.filter((r) => r.path === p.path && r.outcome !== 'error' && r.localhostProfile !== '').map((r) => r.localhostProfile)),
    );
    return values.size > 0 ? [[p.source, `localhostProfile: ${[...values].join(' | ')}`]] : [];
  });
}
