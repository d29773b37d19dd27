import { expect } from 'chai';
import type { CgroupIdentity } from '../host/cgroup.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Enricher, profilesNaming } from './enrich.js';
import { parseRaw } from './parse/index.js';
import type { PodResolver } from './pod-resolver.js';
import type { SeccompRecord } from './record.js';

const ID = 'c'.repeat(64);
const UID = '8d6e4f1c-2b3a-4c5d-9e8f-7a6b5c4d3e2f';

function rec(text: string): SeccompRecord {
  const o = parseRaw({ source: 'kmsg', kind: 'kmsg', text, seq: 0, usec: 0 });
  if (o.kind !== 'record') throw new Error(`fixture is not a record: ${o.kind}`);
  return o.record;
}
const line = (fields: string): string =>
  `audit: type=1326 audit(1795369472.866:2): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=3436 comm="mkdir" exe="/bin/busybox" sig=0 ${fields} ip=0x47b567`;

describe('Enricher: record -> violation', () => {
  const identities = new Map<number, CgroupIdentity>([[3436, { containerId: ID, podUid: UID, runtime: 'containerd' }]]);
  const pods: PodResolver = {
    lookup: (podUid, containerId) => (podUid === UID && containerId === ID ? { namespace: 'shop', pod: 'cart-7d9f', container: 'app' } : undefined),
  };
  const enricher = new Enricher({
    nodeName: 'worker-1',
    processes: { identify: (pid) => identities.get(pid) },
    pods,
    now: () => 42,
  });

  it('names arch, syscall, action and the pod of a LOG hit', () => {
    const v = enricher.enrich(rec(line('arch=c000003e syscall=83 compat=0 code=0x7ffc0000')));
    expect(v).to.deep.include({
      node: 'worker-1',
      namespace: 'shop',
      pod: 'cart-7d9f',
      container: 'app',
      containerId: ID,
      podUid: UID,
      arch: 'SCMP_ARCH_X86_64',
      syscall: 'mkdir',
      action: 'SCMP_ACT_LOG',
      errno: 0,
      source: 'kmsg',
      auditId: '1795369472.866:2',
      emittedUnixMs: 42,
    });
  });

  it("resolves the number with the record's arch: i386 39 is mkdir, not x86_64's getpid", () => {
    const v = enricher.enrich(rec(line('arch=40000003 syscall=39 compat=1 code=0x7ffc0000')));
    expect([v.arch, v.syscall, v.compat]).to.deep.equal(['SCMP_ARCH_X86', 'mkdir', true]);
  });

  it('reads an x32 call on the x86_64 arch', () => {
    const v = enricher.enrich(rec(line(`arch=c000003e syscall=${0x40000000 + 83} compat=0 code=0x7ffc0000`)));
    expect([v.arch, v.syscall, v.syscallNr]).to.deep.equal(['SCMP_ARCH_X32', 'mkdir', 0x40000000 + 83]);
  });

  it('decodes ERRNO with its errno, KILL_PROCESS and KILL_THREAD', () => {
    expect(enricher.enrich(rec(line('arch=c000003e syscall=101 compat=0 code=0x50001')))).to.deep.include({
      action: 'SCMP_ACT_ERRNO',
      errno: 1,
      syscall: 'ptrace',
    });
    expect(enricher.enrich(rec(line('arch=c00000b7 syscall=34 compat=0 code=0x80000000'))).action).to.equal('SCMP_ACT_KILL_PROCESS');
    expect(enricher.enrich(rec(line('arch=c000003e syscall=165 compat=0 code=0x0'))).action).to.equal('SCMP_ACT_KILL_THREAD');
  });

  it('reports a process already gone with what the record says', () => {
    const r = rec(line('arch=c000003e syscall=83 compat=0 code=0x7ffc0000').replace('pid=3436', 'pid=9999'));
    const v = enricher.enrich(r);
    expect([v.pid, v.comm, v.containerId, v.pod, v.syscall]).to.deep.equal([9999, 'mkdir', '', '', 'mkdir']);
  });

  it('keeps an unknown arch and number visible, using auditd resolved name when there is one', () => {
    const r = rec(line('arch=deadbeef syscall=34 compat=0 code=0x7ffc0000'));
    expect([enricher.enrich(r).arch, enricher.enrich(r).syscall, enricher.enrich(r).auditArch]).to.deep.equal(['', '', 0xdeadbeef]);
    const unknownNr = rec(line('arch=c000003e syscall=99999 compat=0 code=0x7ffc0000'));
    unknownNr.syscallHint = 'futuresyscall';
    expect(enricher.enrich(unknownNr).syscall).to.equal('futuresyscall');
  });
});

describe("Enricher with profiles' syscall tables", () => {
  const enricher = new Enricher({ nodeName: 'n', processes: { identify: () => undefined }, pods: { lookup: () => undefined }, naming: profilesNaming });
  const kmsg = readFileSync(fileURLToPath(new URL('../../fixtures/records/kmsg.txt', import.meta.url)), 'utf8').split('\n');
  const bySerial = (serial: number): SeccompRecord => rec(kmsg.find((l) => l.includes(`:${serial}): `))!);

  it('names every fixture record by its own arch', () => {
    const named = [2, 7, 8, 9, 10, 11].map((serial) => {
      const v = enricher.enrich(bySerial(serial));
      return [v.arch, v.syscall, v.action, v.errno];
    });
    expect(named).to.deep.equal([
      ['SCMP_ARCH_X86_64', 'mkdir', 'SCMP_ACT_LOG', 0],
      ['SCMP_ARCH_X86', 'mkdir', 'SCMP_ACT_LOG', 0],
      ['SCMP_ARCH_X32', 'mkdir', 'SCMP_ACT_LOG', 0],
      ['SCMP_ARCH_AARCH64', 'mkdirat', 'SCMP_ACT_KILL_PROCESS', 0],
      ['SCMP_ARCH_X86_64', 'mount', 'SCMP_ACT_KILL_THREAD', 0],
      ['SCMP_ARCH_X86_64', 'ptrace', 'SCMP_ACT_ERRNO', 1],
    ]);
  });
});
