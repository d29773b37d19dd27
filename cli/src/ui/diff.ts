import type { DecisionSummary, SyscallArg, SyscallDiff } from '@kubectl-seccomp/profiles';
import type { DiffOutput } from '../output/types.js';
import { columns, type TableView } from './table.js';

const MARK: Record<SyscallDiff['changes'][number], string> = { allowed: '+', denied: '-', action: '~', args: '~' };

/** The action, and how many argument conditions change it (wide: each condition spelled out). */
function describe(d: DecisionSummary, wide: boolean): string {
  if (wide) return [d.action, ...d.conditions.map((c) => `${c.action} if ${c.args.map(condition).join(' && ')}`)].join('; ');
  const conditions = d.conditions.length ? ` (+${d.conditions.length} conditional)` : '';
  return `${d.action}${conditions}`;
}

const condition = (a: SyscallArg): string => `arg${a.index} ${a.op.replace(/^SCMP_CMP_/, '')} ${a.value}${a.valueTwo === undefined ? '' : ` ${a.valueTwo}`}`;

/** Per kind of node: one line per changed call (+ now runs, - now blocked, ~ other action or conditions). */
export function renderDiff(out: DiffOutput, view: TableView = {}): string {
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
      const change = `${describe(s.from, view.wide === true)} -> ${describe(s.to, view.wide === true)}`;
      // wide: the conditions, as long as they take, go last so that no row is padded to them.
      rows.push(view.wide ? [mark, s.name, s.changes.join(', '), change] : [mark, s.name, change, s.changes.join(', ')]);
    }
    return rows.length ? `${head}\n${columns(rows, 2, undefined, view.width)}` : head;
  });
  const verdict = out.widens ? `${out.b} allows calls ${out.a} does not` : `${out.b} allows nothing ${out.a} does not`;
  return [...blocks, '', verdict].join('\n');
}
