import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readJournalLine, type RawRecord, type ViolationPipeline } from '@kubectl-seccomp/agent';

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

/**
 * What journalctl really prints for the agent's `--output-fields=` list: agent/fixtures/records/journal-fields.jsonl
 * was captured from journalctl (systemd 252) with exactly those arguments. Only its field names and
 * constant values are kept; the record's own values are filled in per entry below.
 */
function journalTemplates(): { kernel: Record<string, unknown>; audit: Record<string, unknown> } {
  const entries = readFileSync(RECORDS('journal-fields.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const kernel = entries.find((e) => e._TRANSPORT === 'kernel' && typeof e.MESSAGE === 'string');
  const audit = entries.find((e) => e._TRANSPORT === 'audit' && typeof e._AUDIT_FIELD_IP === 'string');
  if (!kernel || !audit) throw new Error('agent/fixtures/records/journal-fields.jsonl: no kernel or no full audit entry to copy');
  return { kernel, audit };
}

/**
 * journalctl prints an entry's fields in the order of its hash table, which differs from entry to
 * entry (see the fixture): the feed does the same, deterministically, so that no reader can rely on
 * an order.
 */
function shuffled(entry: Record<string, unknown>, seed: number): Record<string, unknown> {
  const keys = Object.keys(entry);
  let state = seed >>> 0;
  for (let i = keys.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const j = state % (i + 1);
    [keys[i], keys[j]] = [keys[j]!, keys[i]!];
  }
  return Object.fromEntries(keys.map((k) => [k, entry[k]]));
}

/** A cursor shaped as journalctl's: seqnum id, seqnum, boot id, monotonic and realtime µs (hex), hash. */
function cursor(seqnum: number, monotonicUs: number, realtimeUs: number): string {
  const hex = (n: number): string => n.toString(16);
  return `s=06a731b1657e412ca1beb07d4f5db43f;i=${hex(seqnum)};b=2203fb6336d84d89882c1e372a5e281b;m=${hex(monotonicUs)};t=${hex(realtimeUs)};x=${hex((seqnum * 2654435761) % 2 ** 52)}`;
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
  /** What the agent reads each record from (default 'kmsg+audit'); see Carriers. */
  carriers?: Carriers;
}

/**
 * The copies of each record the agent reads, as resolveSources and JournaldSource set the sources up:
 * - 'kmsg': /dev/kmsg only (a node whose journald has no audit socket, or `--sources kmsg`);
 * - 'kmsg+audit': /dev/kmsg and journald's audit transport (journald with its audit socket: the
 *   agent then does not ask journalctl for the kernel transport, a copy of the ring it reads);
 * - 'journald': journald's audit transport, and of its kernel transport only the loss reports (an
 *   agent that cannot open /dev/kmsg, once the audit transport has brought a record: KernelTransport
 *   'warnings');
 * - 'journald-kernel': journald's kernel transport (no /dev/kmsg, and journald has no audit socket).
 */
export type Carriers = 'kmsg' | 'kmsg+audit' | 'journald' | 'journald-kernel';

/** What brings each record in each case: kmsg, journald's kernel transport, its audit transport. */
const CARRIED_BY: Record<Carriers, ReadonlySet<'kmsg' | 'kernel' | 'audit'>> = {
  kmsg: new Set(['kmsg']),
  'kmsg+audit': new Set(['kmsg', 'audit']),
  journald: new Set(['audit']),
  'journald-kernel': new Set(['kernel']),
};

/**
 * A feed like a busy node's: the fixtures' real records with fresh audit serials, times and pids,
 * each record delivered by every carrier the agent reads, journald's copies arriving later, in bursts.
 */
const LOSS_LINE = 'kauditd_printk_skb: 3 callbacks suppressed';

export function buildFeed(opts: FeedOptions): Feed {
  const bodies = templates();
  if (bodies.length === 0) throw new Error('agent/fixtures/records/kmsg.txt: no whole seccomp record');
  const { kernel, audit } = journalTemplates();
  const start = opts.startUnixMs ?? Date.UTC(2026, 0, 1);
  const burst = opts.burst ?? 64;
  const lossEvery = opts.lossEvery ?? 1000;
  const carriers = opts.carriers ?? 'kmsg+audit';
  const by = CARRIED_BY[carriers];
  const items: FeedItem[] = [];
  let lossLines = 0;
  let seqnum = 0x2c9;
  for (let first = 0; first < opts.records; first += burst) {
    const journal: FeedItem[] = [];
    for (let i = first; i < Math.min(first + burst, opts.records); i++) {
      const timeMs = start + i;
      const serial = 1000 + i;
      const pid = opts.pid(i);
      const body = bodies[i % bodies.length]!.body.replace(/(^| )pid=\d+/, `$1pid=${pid}`);
      const stamp = `${Math.floor(timeMs / 1000)}.${String(timeMs % 1000).padStart(3, '0')}:${serial}`;
      const text = `audit: type=1326 audit(${stamp}): ${body}`;
      const lossLine = (i + 1) % lossEvery === 0;
      if (by.has('kmsg')) {
        items.push({ kind: 'kmsg', raw: { source: 'kmsg', kind: 'kmsg', text, seq: 10_000 + i, usec: i * 1000 } });
        if (lossLine) items.push({ kind: 'kmsg', raw: { source: 'kmsg', kind: 'kmsg', text: LOSS_LINE, seq: 10_000 + i, usec: i * 1000 } });
      }
      if (lossLine) lossLines++;
      const realtimeUs = timeMs * 1000 + 12;
      const monotonicUs = 18_649_000_000 + i * 1000;
      const kernelEntry = {
        ...kernel,
        __CURSOR: cursor(seqnum, monotonicUs, realtimeUs),
        __REALTIME_TIMESTAMP: String(realtimeUs),
        __MONOTONIC_TIMESTAMP: String(monotonicUs),
        _SOURCE_MONOTONIC_TIMESTAMP: String(monotonicUs - 2000),
        MESSAGE: text,
      };
      if (by.has('kernel')) journal.push({ kind: 'journal', line: JSON.stringify(shuffled(kernelEntry, seqnum++)) });
      // The kernel's loss reports come through kmsg when it is read, else journald's kernel transport.
      if (lossLine && !by.has('kmsg')) {
        journal.push({ kind: 'journal', line: JSON.stringify(shuffled({ ...kernelEntry, MESSAGE: LOSS_LINE }, seqnum++)) });
      }
      const auditEntry = {
        ...audit,
        __CURSOR: cursor(seqnum, monotonicUs + 5, realtimeUs + 5),
        __REALTIME_TIMESTAMP: String(realtimeUs + 5),
        __MONOTONIC_TIMESTAMP: String(monotonicUs + 5),
        _AUDIT_ID: String(serial),
        _SOURCE_REALTIME_TIMESTAMP: String(timeMs * 1000),
        MESSAGE: `SECCOMP ${body}`,
        _PID: String(pid),
        _UID: field(body, 'uid') ?? '0',
        _GID: field(body, 'gid') ?? '0',
        _AUDIT_LOGINUID: field(body, 'auid') ?? '4294967295',
        _AUDIT_SESSION: field(body, 'ses') ?? '4294967295',
        _COMM: untangle(field(body, 'comm')) ?? '',
        _EXE: untangle(field(body, 'exe')) ?? '',
        _AUDIT_FIELD_SIG: field(body, 'sig') ?? '0',
        _AUDIT_FIELD_ARCH: field(body, 'arch') ?? '',
        _AUDIT_FIELD_SYSCALL: field(body, 'syscall') ?? '',
        _AUDIT_FIELD_COMPAT: field(body, 'compat') ?? '0',
        _AUDIT_FIELD_IP: field(body, 'ip') ?? '',
        _AUDIT_FIELD_CODE: field(body, 'code') ?? '',
      };
      if (by.has('audit')) journal.push({ kind: 'journal', line: JSON.stringify(shuffled(auditEntry, seqnum++)) });
    }
    if (carriers !== 'kmsg') items.push(...journal);
  }
  return { items, records: opts.records, copies: by.size, lossLines };
}

/** Hands an item to the pipeline as its source would: a journald line read as JournaldSource reads it (pre-filter on). */
export function ingestItem(pipeline: ViolationPipeline, item: FeedItem): void {
  if (item.kind === 'kmsg') {
    pipeline.ingest(item.raw);
    return;
  }
  const read = readJournalLine(item.line, true);
  if (!read) throw new Error(`a feed line is not a JSON object: ${item.line}`);
  if (read.forward) pipeline.ingest({ source: 'journald', kind: 'journal', entry: read.entry });
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
