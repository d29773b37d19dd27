// The generated tables (scripts/gen-syscall-tables.mjs), imported as JSON modules so a bundler can inline them.
import type { ScmpArch } from '../model.js';
import aarch64 from '../../data/syscalls/aarch64.json' with { type: 'json' };
import arm from '../../data/syscalls/arm.json' with { type: 'json' };
import mips from '../../data/syscalls/mips.json' with { type: 'json' };
import mips64 from '../../data/syscalls/mips64.json' with { type: 'json' };
import mips64n32 from '../../data/syscalls/mips64n32.json' with { type: 'json' };
import mipsel from '../../data/syscalls/mipsel.json' with { type: 'json' };
import mipsel64 from '../../data/syscalls/mipsel64.json' with { type: 'json' };
import mipsel64n32 from '../../data/syscalls/mipsel64n32.json' with { type: 'json' };
import parisc from '../../data/syscalls/parisc.json' with { type: 'json' };
import parisc64 from '../../data/syscalls/parisc64.json' with { type: 'json' };
import ppc from '../../data/syscalls/ppc.json' with { type: 'json' };
import ppc64 from '../../data/syscalls/ppc64.json' with { type: 'json' };
import ppc64le from '../../data/syscalls/ppc64le.json' with { type: 'json' };
import riscv64 from '../../data/syscalls/riscv64.json' with { type: 'json' };
import s390 from '../../data/syscalls/s390.json' with { type: 'json' };
import s390x from '../../data/syscalls/s390x.json' with { type: 'json' };
import x32 from '../../data/syscalls/x32.json' with { type: 'json' };
import x86 from '../../data/syscalls/x86.json' with { type: 'json' };
import x86_64 from '../../data/syscalls/x86_64.json' with { type: 'json' };

/** One arch's table as generated from libseccomp. */
export interface SyscallTable {
  /** SCMP_ARCH_* name. */
  arch: string;
  /** The libseccomp (package) version the table was generated from. */
  libseccomp: string;
  /** name -> number as the kernel of that arch reports it (x32 with its 0x40000000 bit, MIPS with its ABI base). */
  syscalls: Readonly<Record<string, number>>;
}

export const TABLES: Readonly<Partial<Record<ScmpArch, SyscallTable>>> = {
  SCMP_ARCH_X86_64: x86_64,
  SCMP_ARCH_X86: x86,
  SCMP_ARCH_X32: x32,
  SCMP_ARCH_AARCH64: aarch64,
  SCMP_ARCH_ARM: arm,
  SCMP_ARCH_RISCV64: riscv64,
  SCMP_ARCH_S390X: s390x,
  SCMP_ARCH_S390: s390,
  SCMP_ARCH_PPC64LE: ppc64le,
  SCMP_ARCH_PPC64: ppc64,
  SCMP_ARCH_PPC: ppc,
  SCMP_ARCH_MIPS: mips,
  SCMP_ARCH_MIPSEL: mipsel,
  SCMP_ARCH_MIPS64: mips64,
  SCMP_ARCH_MIPSEL64: mipsel64,
  SCMP_ARCH_MIPS64N32: mips64n32,
  SCMP_ARCH_MIPSEL64N32: mipsel64n32,
  SCMP_ARCH_PARISC64: parisc64,
  SCMP_ARCH_PARISC: parisc,
};
