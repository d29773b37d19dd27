import type { LintOutput } from '../output/types.js';
import { columns } from './table.js';
import { terminalText } from './terminal-text.js';
import { plural } from './words.js';

/** Findings grouped by file: severity, JSON path, line:col, message, code. */
export function renderLint(out: LintOutput): string {
  const blocks = out.files.map((f) => {
    if (f.issues.length === 0) return terminalText(`${f.file}: ok`);
    const rows = f.issues.map((i) => [
      i.severity,
      i.path || '/',
      i.line === undefined ? '' : `${i.line}:${i.column ?? 1}`,
      i.message,
      i.code,
    ]);
    return `${terminalText(f.file)}\n${columns(rows, 2)}`;
  });
  const s = out.summary;
  const total = `${plural(s.files, 'file')}: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.infos} info`;
  return [...blocks, '', total].join('\n');
}
