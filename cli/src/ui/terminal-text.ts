/**
 * Text from agents, kernel records and profiles (a process's comm, a file name, an error) reaches the
 * terminal only through here: control characters (C0 with ESC and BEL, DEL, C1 with CSI and OSC) and
 * the bidi overrides that reorder what is shown are written as visible escapes. JSON output escapes
 * them itself and does not need this.
 */
function escapeFor(code: number): string | undefined {
  const control = code < 0x20 || (code >= 0x7f && code <= 0x9f);
  const bidi = (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0x2028 || code === 0x2029;
  if (!control && !bidi) return undefined;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of output: every control character escaped, newlines and tabs included. */
export function terminalText(text: string): string {
  let out = '';
  for (const ch of text) out += escapeFor(ch.codePointAt(0)!) ?? ch;
  return out;
}

/** Several lines: each escaped as by terminalText, the newlines between them kept. */
export function terminalLines(text: string): string {
  return text.split('\n').map(terminalText).join('\n');
}
