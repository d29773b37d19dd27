/**
 * Framing of one /dev/kmsg record (Documentation/ABI/testing/dev-kmsg):
 * `PRIORITY,SEQ,USEC,FLAGS[,more...];TEXT\n` followed by optional continuation lines ` KEY=VALUE\n`.
 * The kernel escapes every byte below 0x20, from 0x7f up, and the backslash as `\xNN`, so the
 * record is plain ASCII on the wire and a newline inside a message arrives as `\x0a`.
 */
export interface KmsgRecord {
  seq: number;
  /** Microseconds since boot (the kernel's printk clock). */
  usec: number;
  text: string;
}

/** Parses one record; undefined when the header is not `PRIORITY,SEQ,USEC,...;`. */
export function parseKmsgRecord(raw: string): KmsgRecord | undefined {
  const semi = raw.indexOf(';');
  if (semi < 0) return undefined;
  const fields = raw.slice(0, semi).split(',');
  if (fields.length < 4) return undefined;
  const seq = toInt(fields[1]);
  const usec = toInt(fields[2]);
  if (seq === undefined || usec === undefined) return undefined;
  let end = raw.indexOf('\n', semi + 1);
  if (end < 0) end = raw.length;
  return { seq, usec, text: raw.slice(semi + 1, end) };
}

function toInt(field: string | undefined): number | undefined {
  if (field === undefined || !/^\d+$/.test(field)) return undefined;
  return Number(field);
}

/** Undoes the kernel's `\xNN` escaping; the escaped bytes are decoded as UTF-8. */
export function unescapeKmsgText(text: string): string {
  if (!text.includes('\\x')) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 0x5c && text[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
      bytes.push(parseInt(text.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      bytes.push(text.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
