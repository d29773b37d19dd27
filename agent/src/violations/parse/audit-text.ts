import type { AuditStamp } from '../record.js';

/**
 * The kernel's audit record text: `audit(SECONDS.MILLIS:SERIAL): key=value key="value" ...`.
 * Field order is not guaranteed and LSM labels can hold spaces (AppArmor `subj=docker-default (enforce)`),
 * so fields are read as key=value pairs and any other token is ignored.
 */

/** SECONDS and SERIAL up to 12 digits (exact as doubles), MILLIS always 3, as the kernel prints them. */
const STAMP = /^audit\((\d{1,12})\.(\d{3}):(\d{1,12})\):/;
const STAMP_MAX_LENGTH = 'audit(.:):'.length + 12 + 3 + 12;

/** Reads `audit(SEC.MS:SERIAL):` at `from`; `end` is the index just past it. undefined when it is not there. */
export function readAuditStamp(text: string, from: number): (AuditStamp & { end: number }) | undefined {
  const m = STAMP.exec(text.slice(from, from + STAMP_MAX_LENGTH));
  if (!m) return undefined;
  const [whole, sec, ms, serial] = m as unknown as [string, string, string, string];
  const end = from + whole.length;
  return { auditId: text.slice(from + 'audit('.length, end - '):'.length), timeUnixMs: Number(sec) * 1000 + Number(ms), serial: Number(serial), end };
}

/** journald keeps the stamp as µs (`_SOURCE_REALTIME_TIMESTAMP`) and the serial (`_AUDIT_ID`): the same stamp, rebuilt. */
export function stampFromMicros(micros: bigint, serial: number): AuditStamp {
  const sec = micros / 1_000_000n;
  const ms = (micros % 1_000_000n) / 1000n;
  return { auditId: `${sec}.${String(ms).padStart(3, '0')}:${serial}`, timeUnixMs: Number(sec * 1000n + ms), serial };
}

const SPACE = 0x20;
const QUOTE = 0x22;

/**
 * The `key=value` tokens of an audit record from `from` on. Values stay raw (quotes included) for the
 * caller to read as numbers, hex or strings; a quoted value runs to its closing quote, spaces included.
 * The first of duplicate keys counts.
 */
export function readAuditFields(text: string, from = 0): Map<string, string> {
  const fields = new Map<string, string>();
  // The next '=' from i on, looked up again only once passed: tokens without one cost no rescan.
  let eq = text.indexOf('=', from);
  let i = from;
  while (i < text.length && eq >= 0) {
    if (text.charCodeAt(i) === SPACE) {
      i++;
      continue;
    }
    let end = text.indexOf(' ', i);
    if (end < 0) end = text.length;
    if (eq > i && eq < end) {
      if (text.charCodeAt(eq + 1) === QUOTE) {
        const close = text.indexOf('"', eq + 2);
        end = close < 0 ? text.length : close + 1;
      }
      const key = text.slice(i, eq);
      if (!fields.has(key)) fields.set(key, text.slice(eq + 1, end));
    }
    i = end;
    if (eq < i) eq = text.indexOf('=', i);
  }
  return fields;
}

const HEX_STRING = /^(?:[0-9A-Fa-f]{2})+$/;

/**
 * An untrusted string field (comm, exe, ...): the kernel writes it quoted, or as bare hex when it holds
 * a space, a quote, a control or a non-ASCII byte; `(null)` and `?` mean there is none.
 */
export function decodeAuditString(raw: string | undefined): string {
  if (raw === undefined || raw === '(null)' || raw === '?') return '';
  if (raw.startsWith('"')) return raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1) : raw.slice(1);
  if (HEX_STRING.test(raw)) return Buffer.from(raw, 'hex').toString('utf8');
  return raw;
}

const DECIMAL = /^-?\d{1,20}$/;

/** Decimal field; undefined when absent, malformed or not exact as a double. */
export function decimalField(raw: string | undefined): number | undefined {
  if (raw === undefined || !DECIMAL.test(raw)) return undefined;
  const v = Number(raw);
  return Number.isSafeInteger(v) ? v : undefined;
}

const HEX32 = /^(?:0[xX])?([0-9A-Fa-f]{1,8})$/;

/** 32-bit hex field, with or without 0x (`arch=c000003e`, `code=0x7ffc0000`); undefined when malformed. */
export function hexField(raw: string | undefined): number | undefined {
  const m = raw === undefined ? null : HEX32.exec(raw);
  return m ? parseInt(m[1]!, 16) : undefined;
}
