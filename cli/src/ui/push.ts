import type { PushNode, PushOutput, PushResult } from '../output/types.js';
import { nodeLine } from './node-line.js';
import { columns } from './table.js';
import { terminalText } from './terminal-text.js';

/** Per node: each file's outcome and digest, warnings, a count; then the localhostProfile values. */
export function renderPush(out: PushOutput): string {
  const blocks = out.nodes.map(nodeBlock);
  const refs = localhostRefs(out);
  if (refs.length > 0) blocks.push(`Use in securityContext.seccompProfile (type: Localhost):\n${columns(refs, 2)}`);
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

function nodeBlock(n: PushNode): string {
  const lines = [nodeLine(n)];
  if (n.status !== 'ok') return lines[0]!;
  const rows = n.results.map((r) => [r.path, r.outcome, r.sha256.slice(0, 12), note(r)]);
  if (rows.length > 0) lines.push(columns(rows, 2, ['PATH', 'OUTCOME', 'SHA256', '']));
  lines.push(...n.warnings.map((w) => `  ! ${terminalText(w)}`));
  lines.push(`  ${nodeCounts(n.results)}`);
  return lines.join('\n');
}

function note(r: PushResult): string {
  if (r.outcome === 'error') return r.error;
  return r.flattened ? 'Docker format: flattened for this node' : '';
}

function nodeCounts(results: PushResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  return counts.size === 0 ? 'nothing to do' : [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(', ');
}

/** One row per pushed profile: the value to put in localhostProfile (distinct values when nodes disagree). */
function localhostRefs(out: PushOutput): string[][] {
  return out.profiles.map((p) => {
    const values = new Set(
      out.nodes.flatMap((n) => n.results.filter((r) => r.path === p.path && r.localhostProfile !== '').map((r) => r.localhostProfile)),
    );
    return [p.source, `localhostProfile: ${values.size > 0 ? [...values].join(' | ') : p.path}`];
  });
}
