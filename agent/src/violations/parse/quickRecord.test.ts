import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { readAuditStamp, splitAuditFields } from '../auditText.js';
import { recordFromFields } from './fields.js';
import { seccompStampAt } from './kernelText.js';
import { quickRecord } from './quickRecord.js';

const kmsg = readFileSync(fileURLToPath(new URL('../../../fixtures/records/kmsg.txt', import.meta.url)), 'utf8')
  .split('\n')
  .filter((l) => l !== '');

/** quickRecord gives what the general path gives, or nothing; returns whether it gave something. */
function expectSameAsGeneral(text: string): boolean {
  const a = seccompStampAt(text);
  const stamp = a < 0 ? undefined : readAuditStamp(text, a);
  if (!stamp) return false;
  const quick = quickRecord(stamp, text, stamp.end, 'kmsg');
  if (quick === undefined) return false;
  const general = recordFromFields(stamp, splitAuditFields(text, stamp.end), 'kmsg');
  if (JSON.stringify(quick) !== JSON.stringify(general)) expect(quick, text).to.deep.equal(general);
  return true;
}

describe('quickRecord: the fields of a plain record without the general split', () => {
  it('reads every whole fixture record as the general path does', () => {
    const read = kmsg.filter(expectSameAsGeneral);
    // Every record of the fixtures but the damaged ones and the one with an oversized number.
    expect(read.length).to.be.greaterThan(8);
  });

  it('reads duplicates, quoted values with spaces, hex comm, 0X and upper-case hex as the general path does', () => {
    const base = 'audit: type=1326 audit(1795369472.866:2): ';
    for (const fields of [
      'pid=1 pid=2 arch=c000003e syscall=83 code=0x7ffc0000',
      'auid=4294967295 uid=0 gid=0 ses=4294967295 subj=docker-default (enforce) pid=5 comm="a b=c" exe="/x y" sig=0 arch=C000003E syscall=83 compat=1 ip=0x1 code=0X7FFC0000',
      'pid=5 comm=6D7920226F6464222070726F63 exe=(null) arch=40000003 syscall=-1 code=0',
      'pid=-0 arch=0x0 syscall=0 code=0x0 compat=10 ip=',
    ]) {
      expect(expectSameAsGeneral(base + fields), fields).to.equal(true);
    }
  });

  it('whole: reads a record with every field as without it, and leaves one lacking any field to the general path', () => {
    const text = kmsg.find((l) => l.includes(' subj=') === false && l.includes(' comm=') && l.includes(' compat='))!;
    const stamp = readAuditStamp(text, seccompStampAt(text))!;
    expect(quickRecord(stamp, text, stamp.end, 'journald', true)).to.deep.equal(quickRecord(stamp, text, stamp.end, 'journald'));
    for (const key of ['auid', 'uid', 'gid', 'ses', 'pid', 'comm', 'exe', 'sig', 'arch', 'syscall', 'compat', 'ip', 'code']) {
      const without = text.replace(new RegExp(` ${key}=\\S+`), '');
      expect(without, key).to.not.equal(text);
      expect(quickRecord(stamp, without, stamp.end, 'journald', true), key).to.equal(undefined);
    }
  });

  it('leaves anything not plain to the general path: missing, malformed or long fields', () => {
    const base = 'audit: type=1326 audit(1795369472.866:2): ';
    for (const fields of [
      'arch=c000003e syscall=83 code=0x7ffc0000',
      'pid=-5 arch=c000003e syscall=83 code=0x7ffc0000',
      'pid=5 arch=c000003e syscall=83 code=0x7ffc00001',
      'pid=5 arch=0x syscall=83 code=0',
      'pid=5 arch=1 syscall=1234567890123456 code=0',
      'pid=5 arch=1 syscall=1 code=0 uid=x',
      'pid=5 arch="1" syscall=1 code=0',
    ]) {
      const text = base + fields;
      const stamp = readAuditStamp(text, text.indexOf('audit('))!;
      expect(quickRecord(stamp, text, stamp.end, 'kmsg'), fields).to.equal(undefined);
    }
  });

  it('agrees with the general path on every cut and every one-character change of a real record', () => {
    const line = kmsg.find((l) => l.includes('audit(1795369472.866:2)'))!;
    const swaps = [' ', '=', '"', '-', '0', 'x', 'F', 'g'];
    for (let i = 0; i <= line.length; i++) {
      expectSameAsGeneral(line.slice(0, i));
      for (const c of swaps) expectSameAsGeneral(line.slice(0, i) + c + line.slice(i + 1));
    }
  });
});
