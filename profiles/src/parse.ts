import { LineIndex, parseJsonText, type JsonNode } from './json-text.js';
import { validateProfile } from './validate.js';
import type { ParseResult, ProfileIssue } from './model.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The parse of a profile's text and, when the text was JSON, its syntax tree (to locate later findings). */
export interface ParsedProfileText {
  result: ParseResult;
  tree?: { root: JsonNode; lines: LineIndex };
}

/**
 * Parses and validates a profile. Never throws: every problem comes back as an error issue naming
 * `source`, the JSON pointer and line:column. Input is strict JSON (what runtimes' Go decoders
 * accept), bytes must be UTF-8 without a BOM.
 */
export function parseProfile(text: string | Uint8Array, source: string): ParseResult {
  return parseProfileText(text, source).result;
}

/** parseProfile, keeping the syntax tree it read. */
export function parseProfileText(text: string | Uint8Array, source: string): ParsedProfileText {
  const fail = (issue: Omit<ProfileIssue, 'source' | 'severity'>): ParsedProfileText => ({
    result: { ok: false, source, errors: [{ severity: 'error', source, ...issue }] },
  });
  let str: string;
  if (typeof text !== 'string' && !(text instanceof Uint8Array)) {
    return fail({ code: 'wrong-type', path: '', message: 'profile content must be text or bytes' });
  }
  if (typeof text === 'string') {
    str = text;
  } else {
    try {
      str = utf8.decode(text);
    } catch {
      return fail({ code: 'invalid-utf8', path: '', message: 'file is not valid UTF-8' });
    }
  }
  if (str.charCodeAt(0) === 0xfeff) {
    return fail({ code: 'invalid-json', path: '', line: 1, column: 1, message: 'byte order mark before the JSON value (runtimes reject it)' });
  }
  const lines = new LineIndex(str);
  const parsed = parseJsonText(str, lines);
  if (!parsed.ok) {
    return {
      result: {
        ok: false,
        source,
        errors: parsed.problems.map((p) => ({ severity: 'error', code: 'invalid-json', source, path: '', line: p.line, column: p.column, message: p.message })),
      },
    };
  }
  const errors: ProfileIssue[] = [];
  const profile = validateProfile(parsed.root, str, lines, source, errors);
  const tree = { root: parsed.root, lines };
  return { result: profile && errors.length === 0 ? { ok: true, profile, source } : { ok: false, source, errors }, tree };
}
