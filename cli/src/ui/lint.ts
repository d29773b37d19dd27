import type { LintOutput } from '../output/types.js';
import { columns, type TableView } from './table.js';
import { terminalText } from './terminal-text.js';
import { plural } from './words.js';

/** Findings grouped by file: severity, JSON path, line:col, code, message (last: no row is padded to the longest). */
export function renderLint(out: LintOutput, view: TableView = {}): string {
  const blocks = out.files.map((f) => {
    if (f.issues.length === 0) return terminalText(`${f.file}: ok`);
    const rows = f.issues.map((i) => {
      const at = i.line === undefined ? '' : `${i.line}:${i.column ?? 1}`;
      const row = [i.severity, i.path || '/', at, i.code, i.message];
      // An editor's location (file:line:col) opens the finding from a terminal.
      return view.wide ? [at ? `${f.file}:${at}` : f.file, ...row] : row;
    });
    return `${terminalText(f.file)}\n${columns(rows, 2, undefined, view.width)}`;
  });
  const s = out.summary;
  const total = `${plural(s.files, 'file')}: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.infos} info`;
  return [...blocks, '', total].join('\n');
}
