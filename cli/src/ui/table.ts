import { wrapAnsi } from 'fast-wrap-ansi';
import { padTo, stringWidth } from './hanging.js';
import { terminalText } from './terminal-text.js';
import type { Terminal } from './terminal.js';

/** How a report's tables are laid out: `width` (a terminal) wraps the widest column; wide adds columns and never wraps. */
export interface TableView {
  width?: number;
  wide?: boolean;
}

/** The layout a report command gets from its stdout and -o (wide: every detail, lines as long as they take, as kubectl's). */
export const tableView = (t: Terminal, output: string): TableView => ({ width: output === 'wide' ? undefined : t.width, wide: output === 'wide' });

const GAP = '  ';
/** A shrunk column keeps at least this much: narrower, a message is more line breaks than words. */
const MIN_SHRUNK = 16;

/** A last column squeezed below this goes under its row instead: a few words a line read badly. */
const MIN_BESIDE = 40;
/** Where a last column put under its row starts, past the row's own indent. */
const UNDER = 4;

/**
 * Aligned columns without borders (kubectl get style); lines are indented by `indent` spaces and
 * trailing blanks trimmed, so a last column is never padded. With a `width` (a terminal), the widest
 * column is shrunk until the table fits and its cells wrap at word boundaries under their own column;
 * a last column (a message) that would be left too narrow goes on the lines under its row instead.
 */
export function columns(rows: string[][], indent = 0, head?: string[], width?: number): string {
  const all = (head ? [head, ...rows] : rows).map((row) => row.map(terminalText));
  const count = Math.max(0, ...all.map((r) => r.length));
  const widths = Array.from({ length: count }, (_, i) => Math.max(0, ...all.map((r) => stringWidth(r[i] ?? ''))));
  if (width === undefined) return layout(all, widths, indent);
  const fitted = [...widths];
  shrink(fitted, width - indent - GAP.length * (count - 1));
  const last = count - 1;
  if (count < 2 || fitted[last]! >= MIN_BESIDE || fitted[last]! === widths[last]) return layout(all, fitted, indent);
  const before = widths.slice(0, last);
  shrink(before, width - indent - GAP.length * (last - 1));
  const room = width - indent - UNDER;
  const under = ' '.repeat(indent + UNDER);
  return all
    .map((row) => {
      const lines = [layout([row.slice(0, last)], before, indent)];
      if (row[last]) lines.push(...cellLines(row[last], room).map((l) => under + l));
      return lines.join('\n');
    })
    .join('\n');
}

function layout(all: string[][], widths: number[], indent: number): string {
  const pad = ' '.repeat(indent);
  return all
    .flatMap((row) => {
      const cells = widths.map((w, i) => cellLines(row[i] ?? '', w));
      const height = Math.max(...cells.map((c) => c.length));
      return Array.from({ length: height }, (_, line) => pad + cells.map((c, i) => padTo(c[line] ?? '', widths[i]!)).join(GAP));
    })
    .map((line) => line.trimEnd())
    .join('\n');
}

/** Narrows the widest column first (down to the next widest, then both) until the sum fits `room`, none below MIN_SHRUNK. */
function shrink(widths: number[], room: number): void {
  for (let over = widths.reduce((a, b) => a + b, 0) - room; over > 0;) {
    const widest = widths.indexOf(Math.max(...widths));
    const others = Math.max(0, ...widths.filter((_, i) => i !== widest));
    // By one when two tie, so that they take turns.
    const to = Math.max(MIN_SHRUNK, Math.min(widths[widest]! - 1, Math.max(others, widths[widest]! - over)));
    if (to >= widths[widest]!) return;
    over -= widths[widest]! - to;
    widths[widest] = to;
  }
}

/** A cell as the lines it takes in a column `width` wide (as is when it fits, so nothing else changes). */
const cellLines = (text: string, width: number): string[] =>
  stringWidth(text) <= width ? [text] : wrapAnsi(text, width, { hard: true, trim: true }).split('\n');
