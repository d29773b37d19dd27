/** What one benchmark reports: figures with their targets, and what the reader must know to trust them. */
export type Verdict = 'pass' | 'miss' | 'info';

export interface Figure {
  name: string;
  value: string;
  /** The target, as text ("<= 5 s"); absent for figures given for context. */
  target?: string;
  verdict: Verdict;
}

export interface BenchResult {
  /** The name given on the command line (`npm run bench -- pipeline`). */
  name: string;
  title: string;
  figures: Figure[];
  /** How it was measured, caveats, findings: one paragraph each. */
  notes: string[];
  /** Set when prerequisites were missing: the reason, and no figures. */
  skipped?: string;
}

export function figure(name: string, value: string, target?: { text: string; met: boolean }): Figure {
  return target ? { name, value, target: target.text, verdict: target.met ? 'pass' : 'miss' } : { name, value, verdict: 'info' };
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtMs(ms: number): string {
  return ms >= 1000 ? `${fmt(ms / 1000, 2)} s` : `${fmt(ms, ms < 10 ? 2 : 0)} ms`;
}

export function fmtBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${fmt(bytes / 1024 ** 3, 1)} GiB`;
  if (bytes >= 1024 * 1024) return `${fmt(bytes / (1024 * 1024), 1)} MiB`;
  if (bytes >= 1024) return `${fmt(bytes / 1024, 1)} KiB`;
  return `${fmt(bytes)} B`;
}
