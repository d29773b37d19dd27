import type { ScmpArch } from '../model.js';

/** One architecture as libseccomp, the audit subsystem and uname name it. */
export interface ArchInfo {
  scmp: ScmpArch;
  /** AUDIT_ARCH_* value: the `arch=` field of a type=1326 record. */
  auditArch: number;
  /** The usual uname machine name; "" when uname cannot tell this arch apart (x32, MIPS endianness). */
  machine: string;
  /** Every uname machine name that means this arch. */
  machines: readonly string[];
  /** Arches a kernel of this arch also runs (what a profile's archMap lists as subArchitectures). */
  compat: ScmpArch[];
}

/**
 * x32 calls arrive with x86_64's AUDIT_ARCH and this bit set in the syscall number (__X32_SYSCALL_BIT),
 * so a record is x32 only when both hold.
 */
export const X32_SYSCALL_BIT = 0x40000000;

// AUDIT_ARCH_* = ELF machine | __AUDIT_ARCH_64BIT (0x80000000) | __AUDIT_ARCH_LE (0x40000000)
// (| 0x20000000 for the MIPS n32 convention), from include/uapi/linux/audit.h.
export const ARCHES: readonly ArchInfo[] = [
  { scmp: 'SCMP_ARCH_X86_64', auditArch: 0xc000003e, machine: 'x86_64', machines: ['x86_64', 'amd64'], compat: ['SCMP_ARCH_X86', 'SCMP_ARCH_X32'] },
  { scmp: 'SCMP_ARCH_X86', auditArch: 0x40000003, machine: 'i686', machines: ['i386', 'i486', 'i586', 'i686', 'x86'], compat: [] },
  { scmp: 'SCMP_ARCH_X32', auditArch: 0xc000003e, machine: '', machines: [], compat: [] },
  { scmp: 'SCMP_ARCH_AARCH64', auditArch: 0xc00000b7, machine: 'aarch64', machines: ['aarch64', 'arm64'], compat: ['SCMP_ARCH_ARM'] },
  {
    scmp: 'SCMP_ARCH_ARM',
    auditArch: 0x40000028,
    machine: 'armv7l',
    machines: ['arm', 'armv4l', 'armv4tl', 'armv5l', 'armv5tel', 'armv5tejl', 'armv6l', 'armv7l', 'armv8l'],
    compat: [],
  },
  { scmp: 'SCMP_ARCH_RISCV64', auditArch: 0xc00000f3, machine: 'riscv64', machines: ['riscv64'], compat: [] },
  { scmp: 'SCMP_ARCH_S390X', auditArch: 0x80000016, machine: 's390x', machines: ['s390x'], compat: ['SCMP_ARCH_S390'] },
  { scmp: 'SCMP_ARCH_S390', auditArch: 0x00000016, machine: 's390', machines: ['s390'], compat: [] },
  { scmp: 'SCMP_ARCH_PPC64LE', auditArch: 0xc0000015, machine: 'ppc64le', machines: ['ppc64le'], compat: [] },
  { scmp: 'SCMP_ARCH_PPC64', auditArch: 0x80000015, machine: 'ppc64', machines: ['ppc64'], compat: ['SCMP_ARCH_PPC'] },
  { scmp: 'SCMP_ARCH_PPC', auditArch: 0x00000014, machine: 'ppc', machines: ['ppc'], compat: [] },
  // uname says "mips"/"mips64" for both byte orders, so MIPS arches are never guessed from it.
  { scmp: 'SCMP_ARCH_MIPS', auditArch: 0x00000008, machine: '', machines: [], compat: [] },
  { scmp: 'SCMP_ARCH_MIPSEL', auditArch: 0x40000008, machine: '', machines: [], compat: [] },
  { scmp: 'SCMP_ARCH_MIPS64', auditArch: 0x80000008, machine: '', machines: [], compat: ['SCMP_ARCH_MIPS', 'SCMP_ARCH_MIPS64N32'] },
  { scmp: 'SCMP_ARCH_MIPSEL64', auditArch: 0xc0000008, machine: '', machines: [], compat: ['SCMP_ARCH_MIPSEL', 'SCMP_ARCH_MIPSEL64N32'] },
  { scmp: 'SCMP_ARCH_MIPS64N32', auditArch: 0xa0000008, machine: '', machines: [], compat: [] },
  { scmp: 'SCMP_ARCH_MIPSEL64N32', auditArch: 0xe0000008, machine: '', machines: [], compat: [] },
  { scmp: 'SCMP_ARCH_PARISC64', auditArch: 0x8000000f, machine: 'parisc64', machines: ['parisc64'], compat: ['SCMP_ARCH_PARISC'] },
  { scmp: 'SCMP_ARCH_PARISC', auditArch: 0x0000000f, machine: 'parisc', machines: ['parisc'], compat: [] },
];

const byScmp = new Map(ARCHES.map((a) => [a.scmp, a]));
// X32 shares x86_64's value and is told apart by the syscall number only (see archFromRecord).
const byAudit = new Map(ARCHES.filter((a) => a.scmp !== 'SCMP_ARCH_X32').map((a) => [a.auditArch, a]));
const byMachine = new Map(ARCHES.flatMap((a) => a.machines.map((m) => [m, a] as const)));

export function archInfo(scmp: ScmpArch): ArchInfo | undefined {
  return byScmp.get(scmp);
}

/** The arch of an AUDIT_ARCH_* value (signed or unsigned 32-bit); 0xc000003e is x86_64, never x32. */
export function archFromAudit(auditArch: number): ArchInfo | undefined {
  return byAudit.get(auditArch >>> 0);
}

/** The arch of one audit record: like archFromAudit, but an x86_64 record with the x32 bit is x32. */
export function archFromRecord(auditArch: number, syscallNr: number): ArchInfo | undefined {
  const arch = archFromAudit(auditArch);
  if (arch?.scmp === 'SCMP_ARCH_X86_64' && isX32Number(syscallNr)) return byScmp.get('SCMP_ARCH_X32');
  return arch;
}

/** The native arch of a node from its uname machine ("x86_64", "aarch64", "armv7l", ...). */
export function archFromMachine(machine: string): ArchInfo | undefined {
  return byMachine.get(machine.trim().toLowerCase());
}

export function isX32Number(nr: number): boolean {
  return nr >= 0 && (nr & X32_SYSCALL_BIT) !== 0;
}
