import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { readAuditStamp } from './audit-text.js';
import type { RawRecord } from '../source.js';
import { JournalEntry, parseRaw, readRaw } from './index.js';
import { journalEntry } from '../testing/fakes.js';

/** The de-duplication key of a raw record read up to its audit id; undefined when it is no readable seccomp record. */
function keyOf(raw: RawRecord): { serial: number; timeUnixMs: number } | undefined {
  const reading = readRaw(raw);
  return reading.kind === 'seccomp' ? { serial: reading.stamp.serial, timeUnixMs: reading.stamp.timeUnixMs } : undefined;
}

const fixture = (name: string): string[] =>
  readFileSync(fileURLToPath(new URL(`../../../fixtures/records/${name}`, import.meta.url)), 'utf8')
    .split('\n')
    .filter((l) => l !== '');

const kmsgRaw = (text: string): RawRecord => ({ source: 'kmsg', kind: 'kmsg', text, seq: 0, usec: 0 });
const journalRaw = (fields: Record<string, unknown>): RawRecord => ({ source: 'journald', kind: 'journal', entry: journalEntry(fields) });

const raws: RawRecord[] = [
  ...fixture('kmsg.txt').map(kmsgRaw),
  ...fixture('journal.jsonl').map((l) => journalRaw(JSON.parse(l) as Record<string, unknown>)),
  ...fixture('journal-fields.jsonl').map((l) => journalRaw(JSON.parse(l) as Record<string, unknown>)),
];

describe('the audit id of a raw record, read before its fields', () => {
  it('gives every fixture record the key its full parse gives, on kmsg and both journald transports', () => {
    let records = 0;
    for (const raw of raws) {
      const outcome = parseRaw(raw);
      if (outcome.kind !== 'record') continue;
      records++;
      expect(keyOf(raw), JSON.stringify(raw)).to.deep.equal({ serial: outcome.record.serial, timeUnixMs: outcome.record.timeUnixMs });
    }
    expect(records).to.be.greaterThan(5);
  });

  it('gives one key to the three carriers of one record', () => {
    const fields =
      'auid=4294967295 uid=0 gid=0 ses=4294967295 pid=3436 comm="mkdir" exe="/bin/busybox" sig=0 arch=c000003e syscall=83 compat=0 ip=0x47b567 code=0x7ffc0000';
    const text = `audit: type=1326 audit(1795369472.066:9): ${fields}`;
    const keys = [
      keyOf(kmsgRaw(text)),
      keyOf(journalRaw({ _TRANSPORT: 'kernel', MESSAGE: text })),
      keyOf(
        journalRaw({ _TRANSPORT: 'audit', _AUDIT_TYPE: '1326', _AUDIT_ID: '9', _SOURCE_REALTIME_TIMESTAMP: '1795369472066000', MESSAGE: `SECCOMP ${fields}` }),
      ),
    ];
    expect(keys).to.deep.equal([1, 2, 3].map(() => ({ serial: 9, timeUnixMs: 1795369472066 })));
    // auditd's log may hold what journald's audit transport holds too (both read the audit socket).
    expect(keyOf({ source: 'auditlog', kind: 'auditlog', line: `type=SECCOMP msg=audit(1795369472.066:9): ${fields}` })).to.deep.equal(keys[0]);
  });

  it('has no key for what is not a readable seccomp record', () => {
    const none: RawRecord[] = [
      kmsgRaw('audit: type=1300 audit(1795369472.866:2): arch=c000003e syscall=83'),
      kmsgRaw('audit: type=13260 audit(1.000:1): pid=1'),
      kmsgRaw('audit: type=1326 audit(1795369472:2): pid=1'),
      kmsgRaw('audit: type=1326 pid=1'),
      kmsgRaw('kauditd_printk_skb: 12 callbacks suppressed'),
      journalRaw({ _TRANSPORT: 'syslog', MESSAGE: 'audit: type=1326 audit(1795369472.866:2): pid=1' }),
      journalRaw({ _TRANSPORT: 'audit', _AUDIT_TYPE: '1300', _AUDIT_ID: '2', _SOURCE_REALTIME_TIMESTAMP: '1795369472866000' }),
      journalRaw({ _TRANSPORT: 'audit', _AUDIT_TYPE: '1326', _AUDIT_ID: '2' }),
      journalRaw({ _TRANSPORT: 'audit', _AUDIT_TYPE: '1326', _AUDIT_ID: 'x', _SOURCE_REALTIME_TIMESTAMP: '1795369472866000' }),
      { source: 'auditlog', kind: 'auditlog', line: 'type=SYSCALL msg=audit(1795369472.866:2): pid=1 arch=c000003e syscall=83' },
      { source: 'auditlog', kind: 'auditlog', line: 'type=SECCOMP msg=audit(1795369472:2): pid=1 arch=c000003e syscall=83 code=0x7ffc0000' },
    ];
    expect(none.map(keyOf)).to.deep.equal(none.map(() => undefined));
  });

  it('reads a journald kernel entry whatever its escapes, byte arrays or lookalike text, as the full parse does', () => {
    const fields =
      'pid=3436 comm="audit(1795369400.000:77): " exe="/bin/type=1326 audit(1.000:5):" sig=0 arch=c000003e syscall=83 compat=0 ip=0x47b567 code=0x7ffc0000';
    const text = `audit: type=1326 audit(1795369472.066:9): ${fields}`;
    const cases: RawRecord[] = [
      journalRaw({ MESSAGE: text, _TRANSPORT: 'kernel' }),
      // An escape before the audit id: the text before it holds no key, the whole text does.
      { source: 'journald', kind: 'journal', entry: JournalEntry.parse(`{"MESSAGE":"\\u0061${JSON.stringify(text).slice(2)},"_TRANSPORT":"kernel"}`)! },
      journalRaw({ _TRANSPORT: 'kernel', MESSAGE: [...Buffer.from(text.replace('/bin/', '/bin/\xff'), 'latin1')] }),
      journalRaw({ _TRANSPORT: 'kernel', MESSAGE: `"${text}` }),
    ];
    for (const raw of cases) {
      const outcome = parseRaw(raw);
      if (outcome.kind !== 'record') throw new Error(`expected a record: ${raw.kind === 'journal' ? raw.entry.text : ''}`);
      expect(outcome.record.serial).to.equal(9);
      expect(keyOf(raw)).to.deep.equal({ serial: 9, timeUnixMs: 1795369472066 });
    }
    expect(keyOf(journalRaw({ _TRANSPORT: 'kernel', MESSAGE: `comm="x" ${text}` }))).to.deep.equal({ serial: 9, timeUnixMs: 1795369472066 });
    expect(keyOf(journalRaw({ _TRANSPORT: 'kernel' }))).to.equal(undefined);
  });

  it('reads a journald audit entry from its own fields, not from lookalike text in MESSAGE or _COMM', () => {
    const raw = journalRaw({
      _COMM: '","_AUDIT_ID":"99',
      MESSAGE: 'SECCOMP pid=1 comm="\\"_AUDIT_ID\\":\\"98" arch=c000003e syscall=83 code=0x7ffc0000',
      _AUDIT_ID: '7',
      _SOURCE_REALTIME_TIMESTAMP: '1795369472866000',
      _AUDIT_TYPE: '1326',
      _TRANSPORT: 'audit',
    });
    expect(keyOf(raw)).to.deep.equal({ serial: 7, timeUnixMs: 1795369472866 });
    expect(
      keyOf(journalRaw({ _TRANSPORT: 'audit', _AUDIT_TYPE: '1326', _SOURCE_REALTIME_TIMESTAMP: '1795369472866000', MESSAGE: 'SECCOMP audit(1.000:5): pid=1' })),
    ).to.equal(undefined);
  });

  it('reads the milliseconds of a short or leading-zero µs timestamp as the full parse does', () => {
    for (const micros of ['999', '1000', '0001795369472866999']) {
      const raw = journalRaw({
        _TRANSPORT: 'audit',
        _AUDIT_TYPE: '1326',
        _AUDIT_ID: '3',
        _SOURCE_REALTIME_TIMESTAMP: micros,
        MESSAGE: 'SECCOMP pid=1 arch=c000003e syscall=83 code=0x7ffc0000',
      });
      const outcome = parseRaw(raw);
      if (outcome.kind !== 'record') throw new Error(`expected a record for ${micros}`);
      expect(keyOf(raw), micros).to.deep.equal({ serial: 3, timeUnixMs: outcome.record.timeUnixMs });
    }
  });
});

describe('readAuditStamp: the stamp `audit(SECONDS.MILLIS:SERIAL):`', () => {
  it('accepts exactly the stamp syntax, with the id, serial and time it spells', () => {
    const accepted: Record<string, [string, number, number, number]> = {
      'audit(1795369472.866:2):': ['1795369472.866:2', 2, 1795369472866, 24],
      'audit(0.000:0):': ['0.000:0', 0, 0, 15],
      'audit(999999999999.999:999999999999): pid=1': ['999999999999.999:999999999999', 999999999999, 999999999999999, 37],
    };
    for (const [text, [auditId, serial, timeUnixMs, end]] of Object.entries(accepted)) {
      expect(readAuditStamp(text, 0), text).to.deep.equal({ auditId, serial, timeUnixMs, end });
    }
    const refused = [
      'audit(1795369472.866:2)',
      'audit(1795369472.86:2):',
      'audit(1795369472.8666:2):',
      'audit(1795369472866:2):',
      'audit(1795369472.866:):',
      'audit(.866:2):',
      'audit(1000000000000.000:1):',
      'audit(1.000:1000000000000):',
      'audit(1.000:12x):',
      'audit(١.000:1):',
      'audi(1.000:1):',
      'x audit(1.000:1):',
    ];
    for (const text of refused) expect(readAuditStamp(text, 0), text).to.equal(undefined);
    expect(readAuditStamp('x audit(1.000:1): pid=1', 2)).to.deep.equal({ auditId: '1.000:1', serial: 1, timeUnixMs: 1000, end: 17 });
  });
});
