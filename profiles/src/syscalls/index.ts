import type { ScmpArch } from '../model.js';
import { X32_SYSCALL_BIT, isX32Number } from './arches.js';
import { TABLES } from './tables.js';

export type { ArchInfo } from './arches.js';
export { ARCHES, X32_SYSCALL_BIT, archInfo, archFromAudit, archFromMachine, archFromRecord } from './arches.js';
export type { SyscallTable } from './tables.js';

type Syscalls = Readonly<Record<string, number>>;

/**
 * A view of each arch's table, built on its first use and kept: `lint` needs the names of every arch
 * but no numbers, the agent the numbers of one or two arches.
 */
function perArch<T>(build: (syscalls: Syscalls) => T, none: T): (arch: ScmpArch) => T {
  const built = new Map<ScmpArch, T>();
  return (arch) => {
    let view = built.get(arch);
    if (view === undefined) {
      const table = TABLES[arch];
      if (!table) return none;
      view = build(table.syscalls);
      built.set(arch, view);
    }
    return view;
  };
}

const byName = perArch<ReadonlyMap<string, number>>((s) => new Map(Object.entries(s)), new Map());
const byNumber = perArch<ReadonlyMap<number, string>>((s) => new Map(Object.entries(s).map(([name, nr]) => [nr, name])), new Map());
const names = perArch<ReadonlySet<string>>((s) => new Set(Object.keys(s)), new Set());

/**
 * The name of syscall `nr` on `arch`, undefined when that arch has no such number. An x86_64 number
 * with the x32 bit is resolved as x32 (that is how x32 calls appear in x86_64 audit records), and
 * an x32 number without the bit gets it, as libseccomp does.
 */
export function syscallName(arch: ScmpArch, nr: number): string | undefined {
  if (arch === 'SCMP_ARCH_X86_64' && isX32Number(nr)) return byNumber('SCMP_ARCH_X32').get(nr);
  if (arch === 'SCMP_ARCH_X32' && nr >= 0 && nr < X32_SYSCALL_BIT) return byNumber(arch).get(nr | X32_SYSCALL_BIT);
  return byNumber(arch).get(nr);
}

/** The number of syscall `name` on `arch` as its kernel reports it; undefined when the arch lacks it. */
export function syscallNumber(arch: ScmpArch, name: string): number | undefined {
  return byName(arch).get(name);
}

/** Every syscall name libseccomp knows for `arch` (empty for an arch without a table). */
export function knownSyscalls(arch: ScmpArch): ReadonlySet<string> {
  return names(arch);
}

/** The libseccomp version the tables were generated from. */
export const SYSCALL_TABLES_LIBSECCOMP: string = TABLES.SCMP_ARCH_X86_64?.libseccomp ?? '';
