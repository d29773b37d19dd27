import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import fc from 'fast-check';
import type { ParseOutcome, Reading, SeccompRecord } from '../record.js';
import { encodeAuditString, formatAuditBody, formatAuditId, journalAuditEntry } from '../testing/audit-format.js';
import { fuzzRuns } from '../testing/fuzz.js';
import { decodeAuditString, readAuditFields } from './audit-text.js';
import { JournalEntry, journalText, readAuditBody, readAuditLogLine, readJournalEntry, readKernelText } from './index.js';

const whole = (reading: Reading): ParseOutcome => (reading.kind === 'seccomp' ? reading.record() : reading);
const runs = fuzzRuns(300);

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const ARCHES = [0xc000003e, 0x40000003, 0xc00000b7, 0x40000028, 0xc00000f3, 0x80000016, 0xc0000015];

/** Any record the kernel can log: every arch, compat, x32 and negative syscall numbers, any comm and exe. */
const records: fc.Arbitrary<SeccompRecord> = fc
  .record({
    sec: fc.integer({ min: 0, max: 999_999_999_999 }),
    ms: fc.integer({ min: 0, max: 999 }),
    serial: fc.integer({ min: 0, max: 999_999_999_999 }),
    pid: fc.integer({ min: 0, max: 4_194_304 }),
    uid: u32,
    gid: u32,
    auid: u32,
    ses: u32,
    comm: fc.string({ unit: 'binary', maxLength: 15 }),
    exe: fc.string({ unit: 'binary', maxLength: 64 }),
    sig: fc.integer({ min: 0, max: 64 }),
    auditArch: fc.oneof(fc.constantFrom(...ARCHES), u32),
    syscallNr: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    compat: fc.boolean(),
    ip: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((v) => `0x${v.toString(16)}`),
    code: u32,
  })
  .map(({ sec, ms, ...r }) => {
    const timeUnixMs = sec * 1000 + ms;
    return { auditId: formatAuditId(timeUnixMs, r.serial), timeUnixMs, ...r, source: 'kmsg' as const };
  });
const labels = fc.option(fc.constantFrom('unconfined', 'cri-containerd.apparmor.d (enforce)', 'system_u:system_r:container_t:s0:c123,c456'), {
  nil: undefined,
});

/** Pieces of the formats, so that random text often gets far into a parser. */
const TOKENS = [
  'audit: ',
  'type=1326 ',
  'type=1326',
  'type=SECCOMP ',
  'node=n ',
  'msg=',
  'audit(',
  '1795369472',
  '.',
  '866',
  ':',
  '2',
  '):',
  ' ',
  'pid=',
  'arch=',
  'c000003e',
  'syscall=',
  '83',
  'code=',
  '0x',
  '0X7FFC0000',
  'comm=',
  'exe=',
  '"',
  '=',
  '-',
  '6D79',
  '(null)',
  '?',
  'compat=1',
  'ip=',
  '\x1d',
  'SYSCALL=',
  'AUID="unset" ',
  'kauditd_printk_skb: ',
  ' callbacks suppressed',
  'audit_lost=',
  '99999999999999999999',
  '\\',
  '\u00e9',
  '\n',
];
const auditish = fc.array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 4 })), { maxLength: 60 }).map((parts) => parts.join(''));
const anyText = fc.oneof(auditish, fc.string({ unit: 'binary', maxLength: 300 }));

const fixtureLines = (name: string): string[] =>
  readFileSync(fileURLToPath(new URL(`../../../fixtures/records/${name}`, import.meta.url)), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
/** A real line cut, or with text put in or taken out somewhere. */
const mutated = (lines: string[]): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom(...lines), fc.nat(), fc.nat({ max: 20 }), auditish).map(([line, at, drop, insert]) => {
    const i = at % (line.length + 1);
    return line.slice(0, i) + insert + line.slice(i + drop);
  });

/** What any record a parser gives must look like, whatever the input. */
function expectSane(outcome: ParseOutcome): void {
  if (outcome.kind !== 'record') return;
  const r = outcome.record;
  const u32s = [r.auditArch, r.code];
  const ints = [r.pid, r.uid, r.gid, r.auid, r.ses, r.sig, r.syscallNr, r.timeUnixMs, r.serial];
  const ok =
    /^\d{1,12}\.\d{3}:\d{1,12}$/.test(r.auditId) &&
    ints.every(Number.isSafeInteger) &&
    r.pid >= 0 &&
    u32s.every((v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff) &&
    typeof r.comm === 'string' &&
    typeof r.exe === 'string' &&
    typeof r.ip === 'string';
  if (!ok) expect.fail(`not a sane record: ${JSON.stringify(r)}`);
}

function expectSameRecord(outcome: ParseOutcome, expected: SeccompRecord): void {
  if (outcome.kind !== 'record' || JSON.stringify(outcome.record) !== JSON.stringify(expected))
    expect(outcome).to.deep.equal({ kind: 'record', record: expected });
}

describe('fuzzing the parsers (fast-check)', () => {
  it('read back every record the kernel can write, through every carrier', () => {
    fc.assert(
      fc.property(records, labels, fc.boolean(), (r, subj, dmesg) => {
        const body = formatAuditBody(r, subj);
        const kernelText = `${dmesg ? '[  812.345678] ' : ''}audit: type=1326 ${body}`;
        expectSameRecord(whole(readKernelText(kernelText, 'kmsg')), r);
        expectSameRecord(whole(readAuditBody(body, 'kmsg')), r);
        const journald = { ...r, source: 'journald' as const };
        expectSameRecord(whole(readJournalEntry(JournalEntry.parse(JSON.stringify({ _TRANSPORT: 'kernel', MESSAGE: kernelText }))!)), journald);
        expectSameRecord(
          whole(readJournalEntry(JournalEntry.parse(JSON.stringify({ _TRANSPORT: 'kernel', MESSAGE: [...Buffer.from(kernelText)] }))!)),
          journald,
        );
        expectSameRecord(whole(readJournalEntry(JournalEntry.parse(JSON.stringify(journalAuditEntry(r, subj)))!)), journald);
        const auditLog = `node=worker-1 type=SECCOMP msg=${body}`;
        expectSameRecord(whole(readAuditLogLine(auditLog)), { ...r, source: 'auditlog' });
        expectSameRecord(whole(readAuditLogLine(`${auditLog}\x1dAUID="unset" ARCH=x86_64 SYSCALL=mkdir`)), { ...r, source: 'auditlog', syscallHint: 'mkdir' });
      }),
      { numRuns: runs },
    );
  });

  it('decode every string the kernel encodes for comm= and exe=', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (value) => decodeAuditString(encodeAuditString(value)) === value),
      { numRuns: runs },
    );
  });

  it('read fields in any order, the first of duplicates counting', () => {
    const key = fc.stringMatching(/^[a-z_]{1,8}$/);
    const value = fc.oneof(fc.stringMatching(/^[^ "=]{0,10}$/), fc.stringMatching(/^"[^"]{0,10}"$/));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 20 }), (pairs) => {
        const expected = new Map<string, string>();
        for (const [k, v] of pairs) if (!expected.has(k)) expected.set(k, v);
        const text = pairs.map(([k, v]) => `${k}=${v}`).join(' ');
        expect([...readAuditFields(text)]).to.deep.equal([...expected]);
      }),
      { numRuns: runs },
    );
  });

  it('never throw on any text, and give only sane records', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, mutated(fixtureLines('kmsg.txt')), mutated(fixtureLines('audit.log'))), (text) => {
        expectSane(whole(readKernelText(text, 'kmsg')));
        expectSane(whole(readAuditBody(text, 'kmsg')));
        expectSane(whole(readAuditLogLine(text)));
      }),
      { numRuns: runs },
    );
  });

  it('never throw on any journalctl line or entry, and give only sane records', () => {
    const names = fc.constantFrom(
      'MESSAGE',
      '_TRANSPORT',
      '_AUDIT_TYPE',
      '_AUDIT_ID',
      '_SOURCE_REALTIME_TIMESTAMP',
      '_PID',
      '_COMM',
      '_AUDIT_FIELD_ARCH',
      '_AUDIT_FIELD_SYSCALL',
      '_AUDIT_FIELD_CODE',
      '__proto__',
      'constructor',
    );
    const values = fc.oneof(
      fc.constantFrom('audit', 'kernel', '1326', '1795369472866000', '7', 'c000003e', '83', '0x7ffc0000', null),
      auditish,
      fc.array(fc.integer({ min: -1, max: 256 }), { maxLength: 40 }),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const entries = fc.dictionary(names, values, { maxKeys: 12 }).map((fields) => JSON.stringify(fields));
    const lines = fc.oneof(entries, mutated(fixtureLines('journal.jsonl')), mutated(fixtureLines('journal-fields.jsonl')), fc.string({ maxLength: 200 }));
    fc.assert(
      fc.property(lines, (line) => {
        const entry = JournalEntry.parse(line);
        if (entry) expectSane(whole(readJournalEntry(entry)));
      }),
      { numRuns: runs },
    );
  });

  it('read a journalctl line field by field as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 10 }), (fields) => {
        const entry = JournalEntry.parse(JSON.stringify(fields))!;
        for (const [name, value] of Object.entries(fields)) {
          if (JSON.stringify(entry.field(name)) !== JSON.stringify(value)) expect.fail(`${name}: ${JSON.stringify(fields)}`);
          if (entry.string(name) !== journalText(value)) expect.fail(`${name} as text: ${JSON.stringify(fields)}`);
        }
      }),
      { numRuns: runs },
    );
  });
});
