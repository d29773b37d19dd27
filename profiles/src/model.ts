/**
 * The seccomp profile model: everything the OCI runtime spec, containerd and CRI-O accept in a
 * Localhost profile. Docker-format extensions (archMap, includes/excludes, comment, singular name)
 * are modelled too so that they can be linted and flattened, never silently lost.
 */

export const ACTIONS = [
  'SCMP_ACT_KILL',
  'SCMP_ACT_KILL_PROCESS',
  'SCMP_ACT_KILL_THREAD',
  'SCMP_ACT_TRAP',
  'SCMP_ACT_ERRNO',
  'SCMP_ACT_TRACE',
  'SCMP_ACT_ALLOW',
  'SCMP_ACT_LOG',
  'SCMP_ACT_NOTIFY',
] as const;
export type Action = (typeof ACTIONS)[number];

export const OPERATORS = ['SCMP_CMP_NE', 'SCMP_CMP_LT', 'SCMP_CMP_LE', 'SCMP_CMP_EQ', 'SCMP_CMP_GE', 'SCMP_CMP_GT', 'SCMP_CMP_MASKED_EQ'] as const;
export type Operator = (typeof OPERATORS)[number];

export const FILTER_FLAGS = [
  'SECCOMP_FILTER_FLAG_TSYNC',
  'SECCOMP_FILTER_FLAG_LOG',
  'SECCOMP_FILTER_FLAG_SPEC_ALLOW',
  'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV',
] as const;
export type FilterFlag = (typeof FILTER_FLAGS)[number];

/** libseccomp architecture names, as profiles spell them. */
export const SCMP_ARCHES = [
  'SCMP_ARCH_X86',
  'SCMP_ARCH_X86_64',
  'SCMP_ARCH_X32',
  'SCMP_ARCH_ARM',
  'SCMP_ARCH_AARCH64',
  'SCMP_ARCH_MIPS',
  'SCMP_ARCH_MIPS64',
  'SCMP_ARCH_MIPS64N32',
  'SCMP_ARCH_MIPSEL',
  'SCMP_ARCH_MIPSEL64',
  'SCMP_ARCH_MIPSEL64N32',
  'SCMP_ARCH_PPC',
  'SCMP_ARCH_PPC64',
  'SCMP_ARCH_PPC64LE',
  'SCMP_ARCH_S390',
  'SCMP_ARCH_S390X',
  'SCMP_ARCH_PARISC',
  'SCMP_ARCH_PARISC64',
  'SCMP_ARCH_RISCV64',
  'SCMP_ARCH_LOONGARCH64',
  'SCMP_ARCH_M68K',
  'SCMP_ARCH_SH',
  'SCMP_ARCH_SHEB',
] as const;
export type ScmpArch = (typeof SCMP_ARCHES)[number];

export interface SyscallArg {
  /** 0..5 */
  index: number;
  value: number;
  valueTwo?: number;
  op: Operator;
}

/** Docker-format condition on a rule (includes / excludes). */
export interface RuleFilter {
  caps?: string[];
  arches?: string[];
  /** "<kernel>.<major>", e.g. "5.8": the only form moby accepts (the patch level never counts). */
  minKernel?: string;
}

export interface SyscallRule {
  names?: string[];
  /** Old singular form; CRI-O reads it, containerd ignores it. */
  name?: string;
  action: Action;
  errnoRet?: number;
  args?: SyscallArg[];
  includes?: RuleFilter;
  excludes?: RuleFilter;
  comment?: string;
}

export interface ArchMapEntry {
  architecture: string;
  subArchitectures?: string[];
}

export interface SeccompProfile {
  defaultAction: Action;
  defaultErrnoRet?: number;
  architectures?: string[];
  archMap?: ArchMapEntry[];
  flags?: string[];
  listenerPath?: string;
  listenerMetadata?: string;
  syscalls?: SyscallRule[];
}

export type Severity = 'error' | 'warning' | 'info';

/** One finding about a profile: a parse/validation error or a lint result. */
export interface ProfileIssue {
  severity: Severity;
  /** Stable kebab-case id, e.g. "invalid-action", "dangerous-syscall", "containerd-ignores-field". */
  code: string;
  /** The file (or other source name) the profile came from. */
  source: string;
  /** JSON pointer into the document, e.g. "/syscalls/3/action"; "" for the whole document. */
  path: string;
  /** 1-based; set for JSON syntax errors and, where known, for the node at `path`. */
  line?: number;
  column?: number;
  message: string;
}

export type ParseResult = { ok: true; profile: SeccompProfile; source: string } | { ok: false; errors: ProfileIssue[]; source: string };
