import Table from 'cli-table3';
import { terminalText } from './terminal-text.js';

const NO_BORDERS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
};

/** Aligned columns without borders (kubectl get style); lines are indented by `indent` spaces. */
export function columns(rows: string[][], indent = 0, head?: string[]): string {
  const table = new Table({ chars: NO_BORDERS, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 }, head });
  table.push(...rows.map((row) => row.map(terminalText)));
  const pad = ' '.repeat(indent);
  return table
    .toString()
    .split('\n')
    .map((line) => pad + line.trimEnd())
    .join('\n');
}
