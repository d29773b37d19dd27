// Temporary stubs; replaced by the real implementation. Signatures are the contract.
import type { ScmpArch } from '../model.js';

const todo = (): never => {
  throw new Error('not implemented yet');
};

export interface ArchInfo { scmp: ScmpArch; auditArch: number; machine: string; compat: ScmpArch[] }
export const ARCHES: readonly ArchInfo[] = [];
export function archFromAudit(_auditArch: number): ArchInfo | undefined { return todo(); }
export function archFromMachine(_machine: string): ArchInfo | undefined { return todo(); }
export function syscallName(_arch: ScmpArch, _nr: number): string | undefined { return todo(); }
export function syscallNumber(_arch: ScmpArch, _name: string): number | undefined { return todo(); }
export function knownSyscalls(_arch: ScmpArch): ReadonlySet<string> { return todo(); }
