import type { Violation } from '@kubectl-seccomp/proto';
import type { NodeStreamStatus } from '../../services/watch/node-board.js';
import type { WatchOutcome } from '../../services/watch/run.js';
import type { WrittenSuggestion } from '../../services/suggest/write.js';
import { UNNAMED, workloadLabel } from '../../services/watch/attribution.js';
import { terminalText } from '../terminal-text.js';
import { shortAction } from './format.js';

export function describeViolation(node: string, v: Violation): string {
  const where = v.pod ? `${v.namespace}/${v.pod}${v.container ? ` container ${v.container}` : ''}` : `${workloadLabel(v)}, pid ${v.pid}`;
  return terminalText(`${node}: ${where} (${v.comm || '?'}) ${v.syscall || `syscall #${v.syscallNr}`} -> ${shortAction(v.action)}`);
}

/** What stderr says when the watch ends: why, and every node that could not be watched. */
export function outcomeLines(outcome: WatchOutcome, nodes: NodeStreamStatus[]): string[] {
  const lines: string[] = [];
  if (outcome.firstViolation) lines.push(`violation seen on ${describeViolation(outcome.firstViolation.node, outcome.firstViolation.violation)}`);
  for (const n of nodes) {
    if (n.state.phase === 'failed') lines.push(`node ${n.node}: not watched: ${n.state.error}`);
    else if (!n.streamed) lines.push(`node ${n.node}: never connected${n.lastError ? `: ${n.lastError}` : ' during the watch'}`);
    if (n.lost > 0) lines.push(`node ${n.node}: ${n.lost} record(s) lost (${n.losses.map((l) => `${l.count} ${l.reason}`).join(', ')})`);
    if (n.unattributed > 0) lines.push(`node ${n.node}: ${n.unattributed} violation(s) not shown: ${UNNAMED}, so the pod filter could not place them`);
  }
  if (outcome.reason === 'all-failed') lines.push('no node could be watched');
  return lines.map(terminalText);
}

export function suggestionLines(written: WrittenSuggestion[]): string[] {
  return written.flatMap((w) => {
    if (w.file === '') return [`not written: ${w.scope}: no pod to name a profile after; seen: ${w.added.join(', ') || 'nothing named'}`];
    const lines = [
      `suggested profile for ${w.scope} written to ${w.file}: ${w.added.length} syscall(s) added${w.added.length ? ` (${w.added.join(', ')})` : ''}`,
    ];
    if (w.alreadyAllowed.length) lines.push(`  already allowed by the base: ${w.alreadyAllowed.join(', ')}`);
    for (const n of w.notes) lines.push(`  ${n}`);
    if (w.unnamed.length) lines.push(`  not added (the agent could not name them): ${w.unnamed.join(', ')}`);
    if (w.fromUnattributed.length) lines.push(`  seen only from processes no pod was known for (${UNNAMED} or no pod names): ${w.fromUnattributed.join(', ')}`);
    return lines.map(terminalText);
  });
}
