import type { ScmpArch } from './model.js';

/**
 * The architecture names Docker-format `includes.arches` / `excludes.arches` use: libseccomp-golang's
 * native names (what moby compares against), keyed by the SCMP_ARCH_* they stand for. moby's own
 * GOARCH table also spells two of them differently ("mipsle", "mips3l64n32"), so both are accepted.
 */
export const DOCKER_ARCH_NAMES: Readonly<Record<ScmpArch, readonly string[]>> = {
  SCMP_ARCH_X86: ['x86'],
  SCMP_ARCH_X86_64: ['amd64'],
  SCMP_ARCH_X32: ['x32'],
  SCMP_ARCH_ARM: ['arm'],
  SCMP_ARCH_AARCH64: ['arm64'],
  SCMP_ARCH_MIPS: ['mips'],
  SCMP_ARCH_MIPS64: ['mips64'],
  SCMP_ARCH_MIPS64N32: ['mips64n32'],
  SCMP_ARCH_MIPSEL: ['mipsel', 'mipsle'],
  SCMP_ARCH_MIPSEL64: ['mipsel64'],
  SCMP_ARCH_MIPSEL64N32: ['mipsel64n32', 'mips3l64n32'],
  SCMP_ARCH_PPC: ['ppc'],
  SCMP_ARCH_PPC64: ['ppc64'],
  SCMP_ARCH_PPC64LE: ['ppc64le'],
  SCMP_ARCH_S390: ['s390'],
  SCMP_ARCH_S390X: ['s390x'],
  SCMP_ARCH_PARISC: ['parisc'],
  SCMP_ARCH_PARISC64: ['parisc64'],
  SCMP_ARCH_RISCV64: ['riscv64'],
  SCMP_ARCH_LOONGARCH64: ['loong64'],
  SCMP_ARCH_M68K: ['m68k'],
  SCMP_ARCH_SH: ['sh'],
  SCMP_ARCH_SHEB: ['sheb'],
};

const KNOWN = new Set(Object.values(DOCKER_ARCH_NAMES).flat());

export function isDockerArchName(name: string): boolean {
  return KNOWN.has(name);
}
