import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { ViolationSource } from '@kubectl-seccomp/proto';
import type { ParseOutcome, Reading, SeccompRecord } from '../record.js';
import { JournalEntry, parseRaw, readAuditLogLine, readJournalEntry, readKernelText } from './index.js';

/** A reading completed: the fields of a seccomp record read too. */
const whole = (reading: Reading): ParseOutcome => (reading.kind === 'seccomp' ? reading.record() : reading);
const parseKernelText = (text: string, source: ViolationSource): ParseOutcome => whole(readKernelText(text, source));
const parseJournalEntry = (entry: JournalEntry): ParseOutcome => whole(readJournalEntry(entry));
const parseAuditLogLine = (line: string): ParseOutcome => whole(readAuditLogLine(line));

const fixture = (name: string): string[] =>
  readFileSync(fileURLToPath(new URL(`../../../fixtures/records/${name}`, import.meta.url)), 'utf8')
    .split('\n')
    .filter((l) => l !== '');

const kmsg = fixture('kmsg.txt');
const journal = fixture('journal.jsonl').map((l) => JournalEntry.parse(l)!);
const auditLog = fixture('audit.log');

function record(outcome: ParseOutcome): SeccompRecord {
  if (outcome.kind !== 'record') throw new Error(`expected a record, got ${JSON.stringify(outcome)}`);
  return outcome.record;
}

function kmsgBySerial(serial: number): SeccompRecord {
  const line = kmsg.find((l) => l.includes(`:${serial}): `));
  if (!line) throw new Error(`no fixture line with serial ${serial}`);
  return record(parseKernelText(line, 'kmsg'));
}

describe('parsing seccomp records', () => {
  describe('kmsg / dmesg text', () => {
    it('reads every field of the SCMP_ACT_LOG mkdir record from DESIGN.md', () => {
      expect(kmsgBySerial(2)).to.deep.equal({
        auditId: '1795369472.866:2',
        timeUnixMs: 1795369472866,
        serial: 2,
        pid: 3436,
        uid: 0,
        gid: 0,
        auid: 4294967295,
        ses: 4294967295,
        comm: 'mkdir',
        exe: '/bin/busybox',
        sig: 0,
        auditArch: 0xc000003e,
        syscallNr: 83,
        compat: false,
        ip: '0x47b567',
        code: 0x7ffc0000,
        source: 'kmsg',
      });
    });

    it('reads an i386 compat call despite an AppArmor label with a space', () => {
      const r = kmsgBySerial(7);
      expect([r.auditArch, r.syscallNr, r.compat, r.uid, r.comm]).to.deep.equal([0x40000003, 39, true, 1000, 'mkdir32']);
    });

    it('keeps the x32 bit of the syscall number', () => {
      expect(kmsgBySerial(8).syscallNr).to.equal(0x40000000 + 83);
    });

    it('reads aarch64 KILL_PROCESS, KILL_THREAD and ERRNO codes', () => {
      const kp = kmsgBySerial(9);
      expect([kp.auditArch, kp.syscallNr, kp.code, kp.sig]).to.deep.equal([0xc00000b7, 34, 0x80000000, 31]);
      expect(kmsgBySerial(10).code).to.equal(0);
      expect(kmsgBySerial(11).code).to.equal(0x00050001);
      expect(kmsgBySerial(11).uid).to.equal(65534);
    });

    it('decodes hex-encoded comm and exe', () => {
      const r = kmsgBySerial(12);
      expect(r.comm).to.equal('my "odd" proc');
      expect(r.exe).to.equal('/tmp/my prog');
    });

    it('reads fields in any order, after a dmesg timestamp', () => {
      const r = kmsgBySerial(13);
      expect([r.pid, r.syscallNr, r.comm]).to.deep.equal([5401, 257, 'touch']);
    });

    it('reads a line without the audit: prefix, with ? and (null) values', () => {
      const r = kmsgBySerial(14);
      expect([r.pid, r.comm, r.exe]).to.deep.equal([5502, '', '']);
    });

    it('reads duplicates (the first counts), quoted values with spaces and =, upper-case hex and odd values', () => {
      const base = 'audit: type=1326 audit(1795369472.866:2): ';
      const dup = record(parseKernelText(`${base}pid=1 pid=2 arch=c000003e syscall=83 code=0x7ffc0000`, 'kmsg'));
      expect(dup.pid).to.equal(1);
      const r = record(
        parseKernelText(`${base}subj=docker-default (enforce) pid=5 comm="a b=c" exe="/x y" arch=C000003E syscall=-1 compat=10 ip= code=0X7FFC0000`, 'kmsg'),
      );
      expect([r.comm, r.exe, r.auditArch, r.syscallNr, r.compat, r.ip, r.code]).to.deep.equal(['a b=c', '/x y', 0xc000003e, -1, false, '', 0x7ffc0000]);
      for (const fields of [
        'pid=-5 arch=1 syscall=1 code=0',
        'pid=5 arch=1 syscall=1 code=0x7ffc00001',
        'pid=5 arch=0x syscall=1 code=0',
        'pid=5 arch="1" syscall=1 code=0',
      ]) {
        expect(parseKernelText(base + fields, 'kmsg').kind, fields).to.equal('damaged');
      }
    });

    it('reads lines far longer than the kernel writes in one pass: many tokens, none a field, or all of them', () => {
      const base = 'audit: type=1326 audit(1795369472.866:2): ';
      const fields = 'pid=5 arch=c000003e syscall=83 code=0x7ffc0000';
      expect(record(parseKernelText(`${base}${'x '.repeat(500_000)}${fields}`, 'kmsg')).pid).to.equal(5);
      expect(record(parseKernelText(`${base}${'k=v '.repeat(250_000)}${fields}`, 'kmsg')).syscallNr).to.equal(83);
      expect(parseKernelText(`${base}comm="${'x'.repeat(1_000_000)}`, 'kmsg').kind).to.equal('damaged');
    });

    it('skips lines that are not seccomp records', () => {
      const skipped = kmsg.filter((l) => parseKernelText(l, 'kmsg').kind === 'skip');
      expect(skipped).to.have.length(4);
      expect(skipped.join('\n')).to.include('type=1400').and.include('type=1300').and.include('Linux version');
      expect(parseKernelText('audit: type=13260 audit(1.000:1): pid=1', 'kmsg').kind).to.equal('skip');
    });

    it('counts lines that claim type=1326 but cannot be read as damaged', () => {
      const damaged = kmsg.map((l) => parseKernelText(l, 'kmsg')).filter((o) => o.kind === 'damaged');
      expect(damaged).to.have.length(3);
    });

    it('reads callbacks suppressed and audit_lost lines as losses', () => {
      expect(parseKernelText('kauditd_printk_skb: 12 callbacks suppressed', 'kmsg')).to.deep.equal({ kind: 'lost', count: 12 });
      expect(parseKernelText('audit: audit_lost=5 audit_rate_limit=0 audit_backlog_limit=64', 'kmsg')).to.deep.equal({
        kind: 'lost-total',
        total: 5,
      });
      expect(parseKernelText('foo: 3 callbacks suppressed', 'kmsg').kind).to.equal('skip');
    });
  });

  describe('journald JSON', () => {
    it('reads the kernel transport from MESSAGE', () => {
      const r = record(parseJournalEntry(journal[0]!));
      expect([r.auditId, r.source, r.syscallNr, r.comm]).to.deep.equal(['1795369472.866:2', 'journald', 83, 'mkdir']);
    });

    it('rebuilds the same audit id on the audit transport as on the kernel transport', () => {
      const viaKernel = record(parseJournalEntry(journal[0]!));
      const viaAudit = record(parseJournalEntry(journal[1]!));
      expect(viaAudit).to.deep.equal(viaKernel);
    });

    it('decodes hex comm on the audit transport', () => {
      const r = record(parseJournalEntry(journal[2]!));
      expect([r.auditId, r.comm, r.exe]).to.deep.equal(['1795369485.010:12', 'my "odd" proc', '/tmp/my prog']);
    });

    it('falls back to journald native fields when MESSAGE lacks them, without hex-decoding a decoded comm', () => {
      const r = record(parseJournalEntry(journal[3]!));
      expect([r.auditId, r.pid, r.comm, r.exe, r.syscallNr, r.code]).to.deep.equal(['1795369494.005:61', 6300, 'cafe', '/usr/bin/cafe', 101, 0x50001]);
    });

    it('reads a MESSAGE that journalctl printed as an array of bytes', () => {
      const r = record(parseJournalEntry(journal[4]!));
      expect([r.auditId, r.auditArch, r.syscallNr, r.comm]).to.deep.equal(['1795369493.042:60', 0xc00000b7, 221, 'app']);
    });

    it('reads a loss report on the kernel transport', () => {
      expect(parseJournalEntry(journal[5]!)).to.deep.equal({ kind: 'lost', count: 3 });
    });

    it('skips other audit types and other transports, even when their text looks like a record', () => {
      expect(parseJournalEntry(journal[6]!).kind).to.equal('skip');
      expect(parseJournalEntry(journal[7]!).kind).to.equal('skip');
    });

    it('counts an audit-transport record without its timestamp as damaged', () => {
      expect(parseJournalEntry(journal[8]!).kind).to.equal('damaged');
    });
  });

  describe('audit.log', () => {
    it('reads a RAW line', () => {
      const r = record(parseAuditLogLine(auditLog[1]!));
      expect([r.auditId, r.source, r.syscallNr, r.comm, r.syscallHint]).to.deep.equal(['1795369472.866:2', 'auditlog', 83, 'mkdir', undefined]);
    });

    it('reads numbers from the kernel part of an ENRICHED line and keeps SYSCALL= as a hint', () => {
      const r = record(parseAuditLogLine(auditLog[2]!));
      expect([r.auditArch, r.syscallNr, r.compat, r.uid, r.syscallHint]).to.deep.equal([0x40000003, 39, true, 1000, 'mkdir']);
      expect(record(parseAuditLogLine(auditLog[4]!)).syscallHint).to.equal('futuresyscall');
    });

    it('reads a node= prefixed line with hex comm', () => {
      const r = record(parseAuditLogLine(auditLog[3]!));
      expect([r.auditId, r.comm, r.exe]).to.deep.equal(['1795369485.010:12', 'my "odd" proc', '/tmp/my prog']);
    });

    it('skips other record types and counts a truncated SECCOMP line as damaged', () => {
      expect([0, 5, 6].map((i) => parseAuditLogLine(auditLog[i]!).kind)).to.deep.equal(['skip', 'skip', 'skip']);
      expect(parseAuditLogLine(auditLog[7]!).kind).to.equal('damaged');
    });
  });

  it('dispatches raw records by carrier', () => {
    expect(record(parseRaw({ source: 'kmsg', kind: 'kmsg', text: kmsg[1]!, seq: 1, usec: 1 })).source).to.equal('kmsg');
    expect(record(parseRaw({ source: 'journald', kind: 'journal', entry: journal[1]! })).source).to.equal('journald');
    expect(record(parseRaw({ source: 'auditlog', kind: 'auditlog', line: auditLog[1]! })).source).to.equal('auditlog');
  });
});
