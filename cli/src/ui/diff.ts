import type { DecisionSummary, SyscallDiff } from '@kubectl-seccomp/profiles';
import type { DiffOutput } from '../output/types.js';
import { columns } from './table.js';

const MARK: Record<SyscallDiff['changes'][number], string> = { allowed: '+', denied: '-', action: '~', args: '~' };

function describe(d: DecisionSummary): string {
  const conditions = d.conditions.length ? ` (+${d.conditions.length} conditional)` : '';
  return `${d.action}${conditions}`;
}

/** Per kind of node: one line per changed call (+ now runs, - now blocked, ~ other action or conditions). */
export function renderDiff(out: DiffOutput): string {
  if (out.equal) return `${out.a} and ${out.b}: no difference on ${out.targets.map((t) => t.arch).join(', ')}`;
  const blocks = out.targets.map((t) => {
    const head = `${t.arch}${t.kernel ? ` (kernel ${t.kernel})` : ''}${t.equal ? ': no difference' : ''}`;
    const rows: string[][] = [];
    if (t.defaultAction) rows.push([t.defaultAction.widens ? '+' : '~', '(default)', `${t.defaultAction.from} -> ${t.defaultAction.to}`]);
    if (t.architectures)
      rows.push([t.architectures.widens ? '+' : '~', '(architectures)', `${t.architectures.from.join(',')} -> ${t.architectures.to.join(',')}`]);
    if (t.flags) rows.push(['~', '(flags)', `${t.flags.from.join(',') || 'none'} -> ${t.flags.to.join(',') || 'none'}`]);
    for (const s of t.syscalls) {
      const mark = s.widens ? '+' : MARK[s.changes[0]!];
      rows.push([mark, s.name, `${describe(s.from)} -> ${describe(s.to)}`, s.changes.join(', ')]);
    }
    return rows.length ? `${head}\n${columns(rows, 2)}` : head;
  });
  const verdict = out.widens ? `${out.b} allows calls ${out.a} does not` : `${out.b} allows nothing ${out.a} does not`;
  return [...blocks, '', verdict].join('\n');
}
