import ansis from 'ansis';

/** How a report is laid out: colour and a width to wrap to only on a terminal. */
export interface Terminal {
  color: boolean;
  /** Columns to fit in; undefined when piped (nothing is wrapped for programs). */
  width?: number;
}

/** stdout as kubectl-adjacent tools judge it: colour on a TTY unless NO_COLOR or --no-color. */
export function terminalOf(stream: NodeJS.WriteStream, noColor: boolean, env: NodeJS.ProcessEnv = process.env): Terminal {
  if (!stream.isTTY) return { color: false };
  return { color: !noColor && !env.NO_COLOR, width: stream.columns || 80 };
}

type Paint = (text: string) => string;
const plain: Paint = (text) => text;

/** The status colours: ✓ green, ! yellow, ✗ red, dim for what matters less. */
export function palette(t: Terminal): { green: Paint; yellow: Paint; red: Paint; dim: Paint; bold: Paint } {
  if (!t.color) return { green: plain, yellow: plain, red: plain, dim: plain, bold: plain };
  return { green: (s) => ansis.green(s), yellow: (s) => ansis.yellow(s), red: (s) => ansis.red(s), dim: (s) => ansis.dim(s), bold: (s) => ansis.bold(s) };
}
