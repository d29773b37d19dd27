import { expect } from 'chai';
import type { ScmpArch } from '../model.js';
import { ARCHES, SYSCALL_TABLES_LIBSECCOMP, archFromAudit, archFromMachine, archFromRecord, knownSyscalls, syscallName, syscallNumber } from './index.js';

describe('syscall tables', () => {
  for (const { scmp } of ARCHES) {
    it(`${scmp}: every name round-trips through its number`, () => {
      const names = knownSyscalls(scmp);
      expect(names.size, 'table size').to.be.greaterThan(250);
      for (const name of names) {
        const nr = syscallNumber(scmp, name);
        expect(nr, name).to.be.a('number');
        expect(syscallName(scmp, nr!), `${name} = ${nr}`).to.equal(name);
      }
    });
  }

  const spot: [ScmpArch, number, string][] = [
    ['SCMP_ARCH_X86_64', 83, 'mkdir'],
    ['SCMP_ARCH_X86_64', 39, 'getpid'],
    ['SCMP_ARCH_X86', 39, 'mkdir'],
    ['SCMP_ARCH_AARCH64', 34, 'mkdirat'],
    ['SCMP_ARCH_ARM', 39, 'mkdir'],
    ['SCMP_ARCH_ARM', 0xf0005, 'set_tls'],
    ['SCMP_ARCH_X32', 0x40000053, 'mkdir'],
    ['SCMP_ARCH_MIPS', 4039, 'mkdir'],
    ['SCMP_ARCH_RISCV64', 34, 'mkdirat'],
  ];
  for (const [arch, nr, name] of spot) {
    it(`${arch} ${nr} is ${name}`, () => {
      expect(syscallName(arch, nr)).to.equal(name);
      expect(syscallNumber(arch, name)).to.equal(nr);
    });
  }

  it('resolves an x32 call in an x86_64 record by its x32 bit', () => {
    expect(syscallName('SCMP_ARCH_X86_64', 0x40000053)).to.equal('mkdir');
    expect(syscallName('SCMP_ARCH_X86_64', 0x40000200)).to.equal('rt_sigaction');
    expect(syscallName('SCMP_ARCH_X32', 83)).to.equal('mkdir');
  });

  it('knows nothing of names or numbers an arch lacks', () => {
    expect(syscallNumber('SCMP_ARCH_AARCH64', 'mkdir')).to.equal(undefined);
    expect(syscallNumber('SCMP_ARCH_X86_64', 'mkdri')).to.equal(undefined);
    expect(syscallName('SCMP_ARCH_X86_64', 99999)).to.equal(undefined);
    expect(syscallName('SCMP_ARCH_X86_64', -1)).to.equal(undefined);
    expect(knownSyscalls('SCMP_ARCH_LOONGARCH64').size).to.equal(0);
  });

  it('records the libseccomp version the tables came from', () => {
    expect(SYSCALL_TABLES_LIBSECCOMP).to.match(/^\d+\.\d+\.\d+/);
  });
});

describe('architectures', () => {
  const audit: [number, ScmpArch][] = [
    [0xc000003e, 'SCMP_ARCH_X86_64'],
    [0x40000003, 'SCMP_ARCH_X86'],
    [0xc00000b7, 'SCMP_ARCH_AARCH64'],
    [0x40000028, 'SCMP_ARCH_ARM'],
    [0xc00000f3, 'SCMP_ARCH_RISCV64'],
    [0x80000016, 'SCMP_ARCH_S390X'],
    [0x00000016, 'SCMP_ARCH_S390'],
    [0xc0000015, 'SCMP_ARCH_PPC64LE'],
    [0x80000015, 'SCMP_ARCH_PPC64'],
  ];
  for (const [value, scmp] of audit) {
    it(`AUDIT_ARCH ${value.toString(16)} is ${scmp}`, () => {
      expect(archFromAudit(value)?.scmp).to.equal(scmp);
    });
  }

  it('accepts an AUDIT_ARCH read as a signed 32-bit number', () => {
    expect(archFromAudit(0xc000003e | 0)?.scmp).to.equal('SCMP_ARCH_X86_64');
  });

  it('returns undefined for an unknown AUDIT_ARCH', () => {
    expect(archFromAudit(0x12345678)).to.equal(undefined);
  });

  it('tells x32 records apart from x86_64 ones by the syscall number', () => {
    expect(archFromRecord(0xc000003e, 83)?.scmp).to.equal('SCMP_ARCH_X86_64');
    expect(archFromRecord(0xc000003e, 0x40000053)?.scmp).to.equal('SCMP_ARCH_X32');
    expect(archFromRecord(0x40000003, 39)?.scmp).to.equal('SCMP_ARCH_X86');
  });

  it('finds the native arch from uname machine', () => {
    expect(archFromMachine('x86_64')?.scmp).to.equal('SCMP_ARCH_X86_64');
    expect(archFromMachine('aarch64')?.scmp).to.equal('SCMP_ARCH_AARCH64');
    expect(archFromMachine('armv7l')?.scmp).to.equal('SCMP_ARCH_ARM');
    expect(archFromMachine('i686')?.scmp).to.equal('SCMP_ARCH_X86');
    expect(archFromMachine('ppc64le')?.scmp).to.equal('SCMP_ARCH_PPC64LE');
    expect(archFromMachine('mips')).to.equal(undefined);
    expect(archFromMachine('x86_64')?.compat).to.deep.equal(['SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
  });

  it('lists each SCMP arch once, each with a table', () => {
    const names = ARCHES.map((a) => a.scmp);
    expect(new Set(names).size).to.equal(names.length);
    for (const a of ARCHES) {
      expect(knownSyscalls(a.scmp).size, `${a.scmp} table`).to.be.greaterThan(0);
      for (const c of a.compat) expect(names, `${a.scmp} compat`).to.include(c);
    }
  });
});
