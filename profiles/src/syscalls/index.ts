import type { ScmpArch } from '../model.js';
import { X32_SYSCALL_BIT, isX32Number } from './arches.js';
import { TABLES } from './tables.js';

export type { ArchInfo } from './arches.js';
export { ARCHES, X32_SYSCALL_BIT, archInfo, archFromAudit, archFromMachine, archFromRecord } from './arches.js';
export type { SyscallTable } from './tables.js';

interface Index { byName: ReadonlyMap<string, number>; byNumber: ReadonlyMap<number, string>; names: ReadonlySet<string> }

const EMPTY: Index = { byName: new Map(), byNumber: new Map(), names: new Set() };
const indexes = new Map<ScmpArch, Index>();

function index(arch: ScmpArch): Index {
  let idx = indexes.get(arch);
  if (!idx) {
    const table = TABLES[arch];
    if (!table) return EMPTY;
    const entries = Object.entries(table.syscalls);
    idx = {
      byName: new Map(entries),
      byNumber: new Map(entries.map(([name, nr]) => [nr, name])),
      names: new Set(entries.map(([name]) => name)),
    };
    indexes.set(arch, idx);
  }
  return idx;
}

/**
 * The name of syscall `nr` on `arch`, undefined when that arch has no such number. An x86_64 number
 * with the x32 bit is resolved as x32 (that is how x32 calls appear in x86_64 audit records), and
 * an x32 number without the bit gets it, as libseccomp does.
 */
export function syscallName(arch: ScmpArch, nr: number): string | undefined {
  if (arch === 'SCMP_ARCH_X86_64' && isX32Number(nr)) return index('SCMP_ARCH_X32').byNumber.get(nr);
  if (arch === 'SCMP_ARCH_X32' && nr >= 0 && nr < X32_SYSCALL_BIT) return index(arch).byNumber.get(nr | X32_SYSCALL_BIT);
  return index(arch).byNumber.get(nr);
}

/** The number of syscall `name` on `arch` as its kernel reports it; undefined when the arch lacks it. */
export function syscallNumber(arch: ScmpArch, name: string): number | undefined {
  return index(arch).byName.get(name);
}

/** Every syscall name libseccomp knows for `arch` (empty for an arch without a table). */
export function knownSyscalls(arch: ScmpArch): ReadonlySet<string> {
  return index(arch).names;
}

/** The libseccomp version the tables were generated from. */
export const SYSCALL_TABLES_LIBSECCOMP: string = TABLES.SCMP_ARCH_X86_64?.libseccomp ?? '';
