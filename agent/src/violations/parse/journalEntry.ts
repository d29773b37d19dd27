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
    /**
     * For each field in order: key start, key end, value start, value end (the value's JSON text),
     * in spans[first, end). The array is a chunk shared with other entries (see SpanArena).
     */
    private readonly spans: Int32Array,
    private readonly first: number,
    private readonly end: number,
    private readonly parsed: Readonly<Record<string, unknown>> | undefined,
  ) {}

  /** undefined when the line is not a JSON object. */
  static parse(line: string): JournalEntry | undefined {
    if (COMPACT_OBJECT.test(line)) {
      const first = arena.record(line);
      return new JournalEntry(line, arena.chunk, first, arena.used, undefined);
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return new JournalEntry(line, NO_SPANS, 0, 0, value as Record<string, unknown>);
  }

  /** The field's value as JSON.parse gives it; undefined when absent. */
  field(name: string): unknown {
    if (this.parsed) return Object.hasOwn(this.parsed, name) ? this.parsed[name] : undefined;
    const at = this.find(name);
    if (at < 0) return undefined;
    const start = this.spans[at + 2]!;
    const end = this.spans[at + 3]!;
    if (this.isPlainString(start, end)) return this.text.slice(start + 1, end - 1);
    return JSON.parse(this.text.slice(start, end)) as unknown;
  }

  /** journalText(field(name)) === value, without decoding or copying a string field that has no escape. */
  textIs(name: string, value: string): boolean {
    if (!this.parsed) {
      const at = this.find(name);
      if (at < 0) return false;
      const start = this.spans[at + 2]!;
      const end = this.spans[at + 3]!;
      if (this.isPlainString(start, end)) return end - start - 2 === value.length && this.text.startsWith(value, start + 1);
    }
    return journalText(this.field(name)) === value;
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
    const start = this.spans[at + 2]!;
    const end = this.spans[at + 3]!;
    if (this.text.charCodeAt(start) !== QUOTE) return undefined;
    return this.text.slice(start + 1, Math.min(firstEscape(this.text, start, end), end - 1));
  }

  /** Whether the value text[start, end) is a string without escapes: its content is its text. */
  private isPlainString(start: number, end: number): boolean {
    return this.text.charCodeAt(start) === QUOTE && firstEscape(this.text, start, end) === end;
  }

  /** Index into spans of the last field with this name: JSON.parse keeps the last of duplicates. */
  private find(name: string): number {
    const spans = this.spans;
    for (let at = this.end - 4; at >= this.first; at -= 4) {
      const start = spans[at]!;
      if (spans[at + 1]! - start === name.length && this.text.startsWith(name, start)) return at;
    }
    return -1;
  }
}

const QUOTE = 0x22;

/**
 * A field as `journalctl -o json` prints it: a string; an array of byte values when it is not valid
 * UTF-8 or not printable; an array of values when the field repeats (the first is taken); null when
 * it is too large to print.
 */
export function journalText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value) || value.length === 0) return undefined;
  if (typeof value[0] === 'number') {
    return value.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)
      ? Buffer.from(value as number[]).toString('utf8')
      : undefined;
  }
  return journalText(value[0]);
}

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

const NO_SPANS = new Int32Array(0);

/**
 * Where the spans of the entries live: chunks of one typed array, handed out in order, a new chunk
 * when one is full. Entries share a chunk instead of owning an array each: an array per line, grown
 * as fields are found, was half of all the memory the pipeline allocated per journald record, and the
 * collections it caused took about a fifth of the time. A chunk is freed once no entry of it is left.
 */
class SpanArena {
  chunk = new Int32Array(CHUNK_INTS);
  used = 0;

  /**
   * Notes the spans of a line that COMPACT_OBJECT matched in `chunk` from `used` on, and returns
   * where they start (`used` is then where they end).
   * Once the regex has checked the line, keys and values are found by their delimiters: a key has no
   * quote inside, a string ends at the first quote not escaped, an array of numbers at its bracket.
   */
  record(text: string): number {
    // A field takes at least 7 characters ("":null plus a comma): 4 ints per 7 characters is enough.
    const most = 4 * Math.ceil(text.length / 7);
    if (this.used + most > this.chunk.length) {
      this.chunk = new Int32Array(Math.max(CHUNK_INTS, most));
      this.used = 0;
    }
    const spans = this.chunk;
    const from = this.used;
    let at = from;
    for (let i = 1; i < text.length; ) {
      const keyEnd = text.indexOf('"', i + 1);
      const start = keyEnd + 2;
      const first = text.charCodeAt(start);
      let end: number;
      if (first === QUOTE) end = closingQuote(text, start + 1) + 1;
      else if (first === 0x5b /* [ */) end = text.indexOf(']', start) + 1;
      else end = start + 4; // null
      spans[at] = i + 1;
      spans[at + 1] = keyEnd;
      spans[at + 2] = start;
      spans[at + 3] = end;
      at += 4;
      i = end + 1;
    }
    this.used = at;
    return from;
  }
}

/** 16,384 ints (64 KiB): the spans of about 200 lines of 20 fields. */
const CHUNK_INTS = 16384;

const arena = new SpanArena();

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
