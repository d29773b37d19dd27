import type { ViolationSource } from '@kubectl-seccomp/proto';
import { type AuditStamp, decodeAuditString, scanAuditFields } from '../auditText.js';
import { type ParseOutcome, UNSET_ID } from '../record.js';

/** The fields a record is made of; a field's slot in `where` is its index here. */
const NAMES = ['auid', 'uid', 'gid', 'ses', 'pid', 'comm', 'exe', 'sig', 'arch', 'syscall', 'compat', 'ip', 'code'] as const;
const AUID = 0;
const UID = 1;
const GID = 2;
const SES = 3;
const PID = 4;
const COMM = 5;
const EXE = 6;
const SIG = 7;
const ARCH = 8;
const SYSCALL = 9;
const COMPAT = 10;
const IP = 11;
const CODE = 12;

/** Start and end of each field's value in the text being read; -1 when absent. Reused: this runs per record. */
const where = new Int32Array(NAMES.length * 2);

/**
 * What recordFromFields(stamp, splitAuditFields(text, from), source) gives, for a plain record, without
 * the map and the key and value strings that path builds per record (most of the garbage a record
 * costs): one pass over the text with the same tokenizer (scanAuditFields), noting where the fields a
 * record needs lie. undefined whenever the record is not plain (a field missing or malformed, a number
 * too long to be read exactly here): the general path then reads it, and says why it is damaged.
 * `whole`: a record lacking any field is not plain either (the audit transport's general path fills
 * such a field in from journald's own fields).
 */
export function quickRecord(
  stamp: Pick<AuditStamp, 'auditId' | 'timeUnixMs' | 'serial'>,
  text: string,
  from: number,
  source: ViolationSource,
  whole = false,
): ParseOutcome | undefined {
  where.fill(-1);
  reading = text;
  scanAuditFields(text, from, noteField);
  reading = '';
  if (whole && where.includes(-1)) return undefined;
  const pid = decimal(text, PID);
  const auditArch = hex(text, ARCH);
  const syscallNr = decimal(text, SYSCALL);
  const code = hex(text, CODE);
  if (pid === undefined || pid < 0 || auditArch === undefined || syscallNr === undefined || code === undefined) return undefined;
  const uid = optionalDecimal(text, UID);
  const gid = optionalDecimal(text, GID);
  const auid = optionalDecimal(text, AUID);
  const ses = optionalDecimal(text, SES);
  const sig = optionalDecimal(text, SIG);
  if (uid === undefined || gid === undefined || auid === undefined || ses === undefined || sig === undefined) return undefined;
  return {
    kind: 'record',
    record: {
      auditId: stamp.auditId,
      timeUnixMs: stamp.timeUnixMs,
      serial: stamp.serial,
      pid,
      uid: uid ?? UNSET_ID,
      gid: gid ?? UNSET_ID,
      auid: auid ?? UNSET_ID,
      ses: ses ?? UNSET_ID,
      comm: decodeAuditString(raw(text, COMM)),
      exe: decodeAuditString(raw(text, EXE)),
      sig: sig ?? 0,
      auditArch,
      syscallNr,
      compat: where[COMPAT * 2 + 1]! - where[COMPAT * 2]! === 1 && text.charCodeAt(where[COMPAT * 2]!) === 0x31 /* 1 */,
      ip: raw(text, IP) ?? '',
      code,
      source,
    },
  };
}

/** The text quickRecord is reading, for noteField: one callback for every record, not a closure each. */
let reading = '';

function noteField(start: number, eq: number, end: number): void {
  const slot = slotOf(reading, start, eq);
  // The first of duplicate keys counts, as in splitAuditFields.
  if (slot >= 0 && where[slot * 2]! < 0) {
    where[slot * 2] = eq + 1;
    where[slot * 2 + 1] = end;
  }
}

/** A key's length and its first and last characters: no two of NAMES share them. */
function shape(length: number, first: number, last: number): number {
  return length * 0x10000 + first * 0x100 + (last & 0xff);
}

/**
 * The slots of the names by shape (a record has about 15 keys, most of them names here, and this runs
 * for each): only the one candidate is then compared, not every name.
 */
const CANDIDATE = new Map<number, number>(NAMES.map((name, slot) => [shape(name.length, name.charCodeAt(0), name.charCodeAt(name.length - 1)), slot]));
if (CANDIDATE.size !== NAMES.length) throw new Error('quickRecord: two names share a shape');

/** The slot of the key text[start, end), -1 for keys a record does not need. */
function slotOf(text: string, start: number, end: number): number {
  const slot = CANDIDATE.get(shape(end - start, text.charCodeAt(start), text.charCodeAt(end - 1)));
  return slot !== undefined && text.startsWith(NAMES[slot]!, start) ? slot : -1;
}

function raw(text: string, slot: number): string | undefined {
  const start = where[slot * 2]!;
  return start < 0 ? undefined : text.slice(start, where[slot * 2 + 1]);
}

/**
 * decimalField of the value in `slot`: undefined when absent or not `-?\d{1,15}`. 15 digits are always
 * exact; longer numbers, valid or not, are left to the general path.
 */
function decimal(text: string, slot: number): number | undefined {
  let i = where[slot * 2]!;
  const end = where[slot * 2 + 1]!;
  if (i < 0) return undefined;
  const negative = text.charCodeAt(i) === 0x2d; /* - */
  if (negative) i++;
  if (end === i || end - i > 15) return undefined;
  let value = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return undefined;
    value = value * 10 + c;
  }
  return negative ? -value : value;
}

/** An optional decimal field: null when absent (the default applies), undefined when not plain. */
function optionalDecimal(text: string, slot: number): number | null | undefined {
  return where[slot * 2]! < 0 ? null : decimal(text, slot);
}

/** hexField of the value in `slot`: `(0x|0X)?` and 1 to 8 hex digits; undefined otherwise. */
function hex(text: string, slot: number): number | undefined {
  let i = where[slot * 2]!;
  const end = where[slot * 2 + 1]!;
  if (i < 0) return undefined;
  if (text.charCodeAt(i) === 0x30 && (text.charCodeAt(i + 1) | 0x20) === 0x78 /* x */ && end - i >= 2) i += 2;
  if (end === i || end - i > 8) return undefined;
  let value = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 ? (c | 0x20) - 0x57 : -1;
    if (digit < 0) return undefined;
    value = value * 16 + digit;
  }
  return value;
}
