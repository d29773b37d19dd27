/**
 * One line of `journalctl -o json`, read field by field instead of being turned into an object.
 *
 * Why: two of every three copies of a record come through journald and are dropped by their audit id,
 * which four short fields give. JSON.parse builds every field of every copy, and journalctl prints
 * fields in the order of its hash table, different from line to line (agent/fixtures/records/
 * journal-fields.jsonl), so each parsed entry gets its own object shape and every property read of it
 * is slow. Here one regex pass checks the line and notes where each field lies; a field is decoded when
 * it is asked for. The pass accepts only the compact form journalctl prints (string, byte-array and
 * null values); any other valid JSON (whitespace, nested values, escaped keys, other numbers) goes
 * to JSON.parse, so the answers are those of JSON.parse either way.
 */
export class JournalEntry {
  private constructor(
    readonly text: string,
    /** For each field in order: key start, key end, value start, value end (the value's JSON text). */
    private readonly spans: readonly number[] | undefined,
    private readonly parsed: Readonly<Record<string, unknown>> | undefined,
  ) {}

  /** undefined when the line is not a JSON object. */
  static parse(line: string): JournalEntry | undefined {
    const spans = scanCompactObject(line);
    if (spans) return new JournalEntry(line, spans, undefined);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return new JournalEntry(line, undefined, value as Record<string, unknown>);
  }

  /** The field's value as JSON.parse gives it; undefined when absent. */
  field(name: string): unknown {
    if (this.parsed) return Object.hasOwn(this.parsed, name) ? this.parsed[name] : undefined;
    const at = this.find(name);
    if (at < 0) return undefined;
    const start = this.spans![at + 2]!;
    const end = this.spans![at + 3]!;
    if (this.text.charCodeAt(start) === QUOTE && firstEscape(this.text, start, end) === end) return this.text.slice(start + 1, end - 1);
    return JSON.parse(this.text.slice(start, end)) as unknown;
  }

  /**
   * A string field's text up to its first escape (all of it when there is none): a prefix of what
   * field() gives, without decoding or copying it. undefined when the field is absent or no string.
   */
  stringPrefix(name: string): string | undefined {
    if (this.parsed) {
      const value = this.field(name);
      return typeof value === 'string' ? value : undefined;
    }
    const at = this.find(name);
    if (at < 0) return undefined;
    const start = this.spans![at + 2]!;
    const end = this.spans![at + 3]!;
    if (this.text.charCodeAt(start) !== QUOTE) return undefined;
    return this.text.slice(start + 1, Math.min(firstEscape(this.text, start, end), end - 1));
  }

  /** Index into spans of the last field with this name: JSON.parse keeps the last of duplicates. */
  private find(name: string): number {
    const spans = this.spans!;
    for (let at = spans.length - 4; at >= 0; at -= 4) {
      const start = spans[at]!;
      if (spans[at + 1]! - start === name.length && this.text.startsWith(name, start)) return at;
    }
    return -1;
  }
}

const QUOTE = 0x22;

/**
 * A string as RFC 8259 has it (no control characters, valid escapes), written as "unrolled loop":
 * plain characters, then any number of (escape, plain characters). An escape starts with the one
 * character plain ones exclude, so a line that fails backtracks in linear time, and runs of plain
 * characters are matched by one class loop (16% faster than one alternation per character).
 */
const STRING = String.raw`"[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*"`;
/** `"key":value` as journalctl prints it: a key without escapes; a string, an array of byte values, or null. */
const MEMBER = String.raw`"[^"\\\x00-\x1f]*":(?:${STRING}|\[(?:(?:0|[1-9]\d{0,2})(?:,(?:0|[1-9]\d{0,2}))*)?\]|null)`;
/** A whole line in journalctl's compact form. */
const COMPACT_OBJECT = new RegExp(String.raw`^\{${MEMBER}(?:,${MEMBER})*\}$`);

/**
 * The spans of a compact JSON object's fields, or undefined when the line is not in that form. Once
 * the regex has checked the line, keys and values are found by their delimiters: a key has no quote
 * inside, a string ends at the first quote not escaped, an array of numbers at its bracket.
 */
function scanCompactObject(text: string): number[] | undefined {
  if (!COMPACT_OBJECT.test(text)) return undefined;
  const spans: number[] = [];
  for (let i = 1; i < text.length; ) {
    const keyEnd = text.indexOf('"', i + 1);
    const start = keyEnd + 2;
    const first = text.charCodeAt(start);
    let end: number;
    if (first === QUOTE) end = closingQuote(text, start + 1) + 1;
    else if (first === 0x5b /* [ */) end = text.indexOf(']', start) + 1;
    else end = start + 4; // null
    spans.push(i + 1, keyEnd, start, end);
    i = end + 1;
  }
  return spans;
}

/** Index of the quote that ends the string whose content starts at `from`. */
function closingQuote(text: string, from: number): number {
  for (let q = text.indexOf('"', from); ; q = text.indexOf('"', q + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return q;
  }
}


/** Index of the first backslash in [from, end), or end. */
function firstEscape(text: string, from: number, end: number): number {
  const at = text.indexOf('\\', from);
  return at < 0 || at > end ? end : at;
}
