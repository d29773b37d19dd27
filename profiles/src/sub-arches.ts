import type { ScmpArch } from './model.js';

/** Sub-architectures (compat layers) and the native one whose kernel runs them: a node never runs them natively here. */
export const SUB_ARCHES: Partial<Record<ScmpArch, ScmpArch>> = {
  SCMP_ARCH_X86: 'SCMP_ARCH_X86_64',
  SCMP_ARCH_X32: 'SCMP_ARCH_X86_64',
  SCMP_ARCH_ARM: 'SCMP_ARCH_AARCH64',
  SCMP_ARCH_S390: 'SCMP_ARCH_S390X',
  SCMP_ARCH_PPC: 'SCMP_ARCH_PPC64',
  SCMP_ARCH_MIPS: 'SCMP_ARCH_MIPS64',
  SCMP_ARCH_MIPSEL: 'SCMP_ARCH_MIPSEL64',
};
