import stringWidth from 'fast-string-width';
import { wrapAnsi } from 'fast-wrap-ansi';

// fast-string-width rather than string-width: string-width builds an Intl.Segmenter when imported, and
// ICU's start (~10 ms) would be paid by every command that prints a table, most of them piped.

/**
 * `first` then `text` wrapped to `width` at word boundaries (never mid-word), continuation lines
 * indented to where the text began: a hanging indent. No width: one line.
 */
export function hanging(first: string, text: string, width: number | undefined): string {
  const indent = stringWidth(first);
  if (width === undefined || width - indent < 20) return first + text;
  const lines = wrapAnsi(text, width - indent, { hard: false, trim: true }).split('\n');
  return lines.map((line, i) => (i === 0 ? first : ' '.repeat(indent)) + line).join('\n');
}

/** Pads to a display width (emoji, CJK and escapes counted as the terminal shows them). */
export const padTo = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - stringWidth(text)));
export { stringWidth };
