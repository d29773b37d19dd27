/**
 * The kernel's audit record text: `audit(SECONDS.MILLIS:SERIAL): key=value key="value" ...`.
 * Field order is not guaranteed and LSM labels can hold spaces (AppArmor `subj=docker-default (enforce)`),
 * so fields are read as key=value pairs and anything else is ignored.
 */

export interface AuditStamp {
  auditId: string;
  timeUnixMs: number;
  serial: number;
  /** Index just past `):`. */
  end: number;
}

/**
 * Reads `audit(SEC.MS:SERIAL):` starting at `from` (SEC and SERIAL 1 to 12 digits, MS 3); undefined
 * when it is not there. The id is the text between the parentheses; the numbers come from the scan of
 * readAuditKey, which a regex with captures would pay three more strings for, per record.
 */
export function readAuditStamp(text: string, from: number): AuditStamp | undefined {
  const key = readAuditKey(text, from);
  if (!key) return undefined;
  // readAuditKey accepted digits, '.' and ':' up to '):', so the first '):' is the stamp's end.
  const close = text.indexOf('):', from + 6);
  return { auditId: text.slice(from + 6, close), timeUnixMs: key.timeUnixMs, serial: key.serial, end: close + 2 };
}

/** The de-duplication key of an audit id: what `RecentIds` compares. */
export interface AuditKey {
  serial: number;
  timeUnixMs: number;
}

/**
 * The key of `audit(SEC.MS:SERIAL):` at `from`, scanned by hand: this runs for every copy of every
 * record, and a regex match with captures (or a result object per number) costs allocations that the
 * copies would otherwise not need.
 */
export function readAuditKey(text: string, from: number): AuditKey | undefined {
  if (!text.startsWith('audit(', from)) return undefined;
  const secEnd = digitsEnd(text, from + 6, 12);
  if (secEnd < 0 || text.charCodeAt(secEnd) !== 0x2e /* . */) return undefined;
  const msEnd = digitsEnd(text, secEnd + 1, 3);
  if (msEnd !== secEnd + 4 || text.charCodeAt(msEnd) !== 0x3a /* : */) return undefined;
  const serialEnd = digitsEnd(text, msEnd + 1, 12);
  if (serialEnd < 0 || !text.startsWith('):', serialEnd)) return undefined;
  const sec = digitsValue(text, from + 6, secEnd);
  return { serial: digitsValue(text, msEnd + 1, serialEnd), timeUnixMs: sec * 1000 + digitsValue(text, secEnd + 1, msEnd) };
}

/** The end of 1 to `max` ASCII digits at `from` (no more may follow), -1 when there are none or more. */
function digitsEnd(text: string, from: number, max: number): number {
  let i = from;
  for (let c = text.charCodeAt(i); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++i)) {
    if (i - from === max) return -1;
  }
  return i === from ? -1 : i;
}

/** The value of the digits text[from, end): at most 12, so it is exact. */
function digitsValue(text: string, from: number, end: number): number {
  let value = 0;
  for (let i = from; i < end; i++) value = value * 10 + (text.charCodeAt(i) - 0x30);
  return value;
}

/**
 * Milliseconds of a journald µs timestamp (decimal digits), as `auditIdFromMicros` computes them:
 * dropping the last three digits is the integer division, and both round to a double the same way.
 */
export function unixMsFromMicros(micros: string): number {
  return micros.length > 3 ? Number(micros.slice(0, -3)) : 0;
}

/** Builds the audit id journald loses: it keeps SECONDS.MILLIS only as a µs timestamp. */
export function auditIdFromMicros(micros: bigint, serial: string): { auditId: string; timeUnixMs: number } {
  const sec = micros / 1_000_000n;
  const ms = (micros % 1_000_000n) / 1000n;
  return { auditId: `${sec}.${String(ms).padStart(3, '0')}:${serial}`, timeUnixMs: Number(sec * 1000n + ms) };
}

/**
 * Walks the `key=value` tokens of an audit record from `from`: for each, the key is
 * body[keyStart, eq) and the raw value body[eq + 1, end) (quotes included; a quoted value may hold
 * spaces). Tokens without a key are skipped. The one tokenizer of record text: every reader of
 * fields sees the same tokens.
 */
export function scanAuditFields(body: string, from: number, onField: (keyStart: number, eq: number, end: number) => void): void {
  const n = body.length;
  let i = from;
  while (i < n) {
    while (i < n && body.charCodeAt(i) === 0x20) i++;
    const start = i;
    let eq = -1;
    while (i < n) {
      const c = body.charCodeAt(i);
      if (c === 0x20) break;
      if (c === 0x3d /* = */ && eq < 0) {
        eq = i;
        if (body.charCodeAt(i + 1) === 0x22 /* " */) {
          const close = body.indexOf('"', i + 2);
          i = close < 0 ? n : close + 1;
          break;
        }
      }
      i++;
    }
    if (eq > start) onField(start, eq, i);
  }
}

/**
 * Splits `key=value` pairs. Values stay raw (quotes included) so that the caller decides how to read
 * each: numbers, hex, or untrusted strings. A later duplicate key does not override the first.
 */
export function splitAuditFields(body: string, from = 0): Map<string, string> {
  const fields = new Map<string, string>();
  scanAuditFields(body, from, (start, eq, end) => {
    const key = body.slice(start, eq);
    if (!fields.has(key)) fields.set(key, body.slice(eq + 1, end));
  });
  return fields;
}

const HEX = /^(?:[0-9A-Fa-f]{2})+$/;

/**
 * An untrusted string field (comm, exe, ...): the kernel writes it quoted, or as bare hex when it holds
 * a space, a quote, a control or a non-ASCII byte; `(null)` and `?` mean there is none.
 */
export function decodeAuditString(raw: string | undefined): string {
  if (raw === undefined || raw === '(null)' || raw === '?') return '';
  if (raw.startsWith('"')) return raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1) : raw.slice(1);
  if (HEX.test(raw)) return Buffer.from(raw, 'hex').toString('utf8');
  return raw;
}

/** Decimal field; undefined when absent or malformed. */
export function decimalField(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^-?\d{1,20}$/.test(raw)) return undefined;
  const v = Number(raw);
  return Number.isSafeInteger(v) ? v : undefined;
}

/** Hex field, with or without 0x (`arch=c000003e`, `code=0x7ffc0000`); undefined when malformed. */
export function hexField(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const digits = raw.startsWith('0x') || raw.startsWith('0X') ? raw.slice(2) : raw;
  if (!/^[0-9A-Fa-f]{1,8}$/.test(digits)) return undefined;
  return parseInt(digits, 16);
}
