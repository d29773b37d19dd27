import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RawRecord } from '@kubectl-seccomp/agent';

const RECORDS = (name: string): string => fileURLToPath(new URL(`../../../agent/fixtures/records/${name}`, import.meta.url));

/**
 * One item of a recorded feed as the sources hand it over: kmsg records already framed (the
 * `PRIORITY,SEQ,USEC,FLAGS;` header split off by KmsgSource), journald entries still as the JSON
 * text journalctl prints, since parsing that JSON is part of what the agent pays per entry.
 */
export type FeedItem = { kind: 'kmsg'; raw: RawRecord } | { kind: 'journal'; line: string };

export interface Feed {
  items: FeedItem[];
  /** Distinct seccomp records. */
  records: number;
  /** How many times each arrives: 3 (kmsg, journald kernel, journald audit) or 1 (kmsg only). */
  copies: number;
  /** Loss reports (`callbacks suppressed`) mixed in, as the kernel writes them under load. */
  lossLines: number;
}

interface Template {
  /** Everything after `audit(...): `, the fields of the record. */
  body: string;
}

/** A whole record: the fixtures also hold damaged ones on purpose (tests), which are not traffic. */
const KMSG_SECCOMP = /^audit: type=1326 audit\(\d+\.\d{3}:\d+\): (.* arch=[0-9a-f]{8} syscall=\d+ .* code=0x[0-9a-f]+)$/;

function templates(): Template[] {
  return readFileSync(RECORDS('kmsg.txt'), 'utf8')
    .split('\n')
    .map((line) => KMSG_SECCOMP.exec(line)?.[1])
    .filter((body): body is string => body !== undefined)
    .map((body) => ({ body }));
}

function journalTemplates(): { kernel: Record<string, unknown>; audit: Record<string, unknown> } {
  const entries = readFileSync(RECORDS('journal.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const kernel = entries.find((e) => e._TRANSPORT === 'kernel');
  const audit = entries.find((e) => e._TRANSPORT === 'audit' && typeof e._AUDIT_FIELD_IP === 'string');
  if (!kernel || !audit) throw new Error('agent/fixtures/records/journal.jsonl: no kernel or no full audit entry to copy');
  return { kernel, audit };
}

const field = (body: string, key: string): string | undefined => new RegExp(`(?:^| )${key}=(\\S+)`).exec(body)?.[1];

/** comm= and exe= are quoted, or bare hex when they hold a space, a quote or a non-ASCII byte. */
function untangle(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.startsWith('"') && value.endsWith('"')) return value.slice(1, -1);
  return /^[0-9A-F]+$/.test(value) ? Buffer.from(value, 'hex').toString('utf8') : value;
}

export interface FeedOptions {
  records: number;
  /** The pid the i-th record names. */
  pid: (i: number) => number;
  /** First audit time (ms since the epoch). */
  startUnixMs?: number;
  /** Records per burst: a burst arrives on kmsg first, then through journald's two transports. */
  burst?: number;
  /** One `callbacks suppressed` line per this many records. */
  lossEvery?: number;
  /** Default true. Without: a node whose records reach kmsg only (no journald audit socket). */
  journald?: boolean;
}

/**
 * A feed like a busy node's: the fixtures' real records with fresh audit serials, times and pids,
 * each record delivered by kmsg and by journald twice (kernel and audit transports, as journald does
 * with its audit socket), the copies arriving later, in bursts.
 */
export function buildFeed(opts: FeedOptions): Feed {
  const bodies = templates();
  if (bodies.length === 0) throw new Error('agent/fixtures/records/kmsg.txt: no whole seccomp record');
  const { kernel, audit } = journalTemplates();
  const start = opts.startUnixMs ?? Date.UTC(2026, 0, 1);
  const burst = opts.burst ?? 64;
  const lossEvery = opts.lossEvery ?? 1000;
  const items: FeedItem[] = [];
  let lossLines = 0;
  let cursor = 0;
  for (let first = 0; first < opts.records; first += burst) {
    const journal: FeedItem[] = [];
    for (let i = first; i < Math.min(first + burst, opts.records); i++) {
      const timeMs = start + i;
      const serial = 1000 + i;
      const pid = opts.pid(i);
      const body = bodies[i % bodies.length]!.body.replace(/(^| )pid=\d+/, `$1pid=${pid}`);
      const stamp = `${Math.floor(timeMs / 1000)}.${String(timeMs % 1000).padStart(3, '0')}:${serial}`;
      const text = `audit: type=1326 audit(${stamp}): ${body}`;
      items.push({ kind: 'kmsg', raw: { source: 'kmsg', kind: 'kmsg', text, seq: 10_000 + i, usec: i * 1000 } });
      if ((i + 1) % lossEvery === 0) {
        items.push({ kind: 'kmsg', raw: { source: 'kmsg', kind: 'kmsg', text: 'kauditd_printk_skb: 3 callbacks suppressed', seq: 10_000 + i, usec: i * 1000 } });
        lossLines++;
      }
      const realtime = String(timeMs * 1000 + 12);
      journal.push({ kind: 'journal', line: JSON.stringify({ ...kernel, __CURSOR: `s=bench;i=${cursor++}`, __REALTIME_TIMESTAMP: realtime, MESSAGE: text }) });
      journal.push({
        kind: 'journal',
        line: JSON.stringify({
          ...audit,
          __CURSOR: `s=bench;i=${cursor++}`,
          __REALTIME_TIMESTAMP: realtime,
          _AUDIT_ID: String(serial),
          _SOURCE_REALTIME_TIMESTAMP: String(timeMs * 1000),
          MESSAGE: `SECCOMP ${body}`,
          _PID: String(pid),
          _COMM: untangle(field(body, 'comm')) ?? '',
          _EXE: untangle(field(body, 'exe')) ?? '',
          _AUDIT_FIELD_SIG: field(body, 'sig') ?? '0',
          _AUDIT_FIELD_ARCH: field(body, 'arch') ?? '',
          _AUDIT_FIELD_SYSCALL: field(body, 'syscall') ?? '',
          _AUDIT_FIELD_COMPAT: field(body, 'compat') ?? '0',
          _AUDIT_FIELD_IP: field(body, 'ip') ?? '',
          _AUDIT_FIELD_CODE: field(body, 'code') ?? '',
        }),
      });
    }
    if (opts.journald ?? true) items.push(...journal);
  }
  return { items, records: opts.records, copies: (opts.journald ?? true) ? 3 : 1, lossLines };
}

/** The baseline: what reading the feed costs without the pipeline, a grep for the record marker. */
export function touchFeed(items: readonly FeedItem[]): number {
  let hits = 0;
  for (const item of items) {
    const text = item.kind === 'kmsg' ? (item.raw.kind === 'kmsg' ? item.raw.text : '') : item.line;
    if (text.includes('type=1326') || text.includes('SECCOMP')) hits++;
  }
  return hits;
}
