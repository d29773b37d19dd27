// Strict JSON (RFC 8259) into a syntax tree that keeps offsets, so validation errors can point at
// line:column. jsonc-parser is used in its strict mode: no comments, no trailing commas.
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

export type { Node as JsonNode } from 'jsonc-parser';

export interface Position {
  line: number;
  column: number;
}

/** Maps offsets to 1-based line:column. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
    }
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.starts[lo] ?? 0) + 1 };
  }
}

export interface SyntaxProblem extends Position {
  message: string;
}

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes (trailing commas are not JSON)',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':'",
  CommaExpected: "expected ',' between values",
  CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'",
  EndOfFileExpected: 'unexpected content after the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape sequence',
  InvalidCharacter: 'control character in string (escape it)',
};

export type ParsedText = { ok: true; root: Node } | { ok: false; problems: SyntaxProblem[] };

/** A profile nests five levels (profile, syscalls, rule, args, arg); the parser recurses per level. */
export const MAX_JSON_DEPTH = 32;

/** Offset of the first bracket nested deeper than `max`, or -1: a loop, so no input can exhaust the stack. */
export function tooDeepAt(text: string, max: number = MAX_JSON_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return -1;
}

export function parseJsonText(text: string, lines: LineIndex): ParsedText {
  const deep = tooDeepAt(text);
  if (deep >= 0) return { ok: false, problems: [{ ...lines.position(deep), message: `nested deeper than ${MAX_JSON_DEPTH} levels` }] };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0 || root === undefined) {
    // The first error is the real one; later ones are usually the parser recovering.
    const first = errors[0];
    const offset = first?.offset ?? text.length;
    const name = first === undefined ? 'ValueExpected' : printParseErrorCode(first.error);
    return { ok: false, problems: [{ ...lines.position(offset), message: SYNTAX_MESSAGES[name] ?? name }] };
  }
  return { ok: true, root };
}
