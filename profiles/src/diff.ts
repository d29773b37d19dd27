// A semantic diff of two profiles: each is flattened for a kind of node (arch, kernel) and read as
// the kernel will apply it (decision.ts), so reordering, regrouping or Docker-format spelling is no
// change, and a change of what a call does is reported whatever text produced it.
import { profileDecisions, type ConditionalVerdict, type ProfileDecisions, type SyscallDecision } from './decision.js';
import { flatten } from './flatten.js';
import { profileArches } from './lint.js';
import { SUB_ARCHES } from './sub-arches.js';
import { knownSyscalls } from './syscalls/index.js';
import type { ScmpArch, SeccompProfile, SyscallArg } from './model.js';

/** A kind of node the profiles are compared for. */
export interface DiffTarget {
  arch: ScmpArch;
  /** `uname -r`; omitted: every minKernel condition counts as met. */
  kernel?: string;
}

export type SyscallChangeKind = 'allowed' | 'denied' | 'action' | 'args';

export interface DecisionSummary {
  /** What the call gets when no argument condition matches, e.g. "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO(1)". */
  action: string;
  conditions: { args: SyscallArg[]; action: string }[];
}

export interface SyscallDiff {
  name: string;
  /** allowed: B runs it where A did not; denied: the reverse; action: another allowing or blocking action; args: other argument conditions. */
  changes: SyscallChangeKind[];
  from: DecisionSummary;
  to: DecisionSummary;
  /** B lets the call run in some case where A did not. */
  widens: boolean;
}

export interface TargetDiff {
  arch: ScmpArch;
  kernel?: string;
  /** The action for every call neither profile names; absent when equal. */
  defaultAction?: { from: string; to: string; widens: boolean };
  /** Architectures the filter covers (others get the runtime's bad-arch action); absent when equal. */
  architectures?: { from: string[]; to: string[]; widens: boolean };
  flags?: { from: string[]; to: string[] };
  syscalls: SyscallDiff[];
  widens: boolean;
  equal: boolean;
}

export interface ProfileDiff {
  targets: TargetDiff[];
  /** Nothing differs on any target. */
  equal: boolean;
  /** B allows something A did not on some target: the CI gate. */
  widens: boolean;
}

/** The native architectures either profile is for; a listed sub-architecture counts as its native one. */
export function diffTargets(a: SeccompProfile, b: SeccompProfile, kernel?: string): DiffTarget[] {
  const arches = new Set<ScmpArch>();
  for (const arch of [...profileArches(a), ...profileArches(b)]) arches.add(SUB_ARCHES[arch] ?? arch);
  return [...arches].map((arch) => (kernel ? { arch, kernel } : { arch }));
}

export function diffProfiles(a: SeccompProfile, b: SeccompProfile, targets: readonly DiffTarget[] = diffTargets(a, b)): ProfileDiff {
  const diffs = targets.map((t) => diffTarget(a, b, t));
  return { targets: diffs, equal: diffs.every((d) => d.equal), widens: diffs.some((d) => d.widens) };
}

function diffTarget(a: SeccompProfile, b: SeccompProfile, target: DiffTarget): TargetDiff {
  const flatA = flatten(a, target);
  const flatB = flatten(b, target);
  const [da, db] = [profileDecisions(flatA), profileDecisions(flatB)];
  const known = knownSyscalls(target.arch);
  const names = [...new Set([...da.named.keys(), ...db.named.keys()])].filter((n) => known.size === 0 || known.has(n)).sort();
  const syscalls = names.flatMap((name) => diffSyscall(name, da, db) ?? []);
  const out: TargetDiff = { arch: target.arch, syscalls, widens: false, equal: false };
  if (target.kernel) out.kernel = target.kernel;
  if (da.fallback.label !== db.fallback.label) {
    out.defaultAction = { from: da.fallback.label, to: db.fallback.label, widens: !da.fallback.allows && db.fallback.allows };
  }
  const [archA, archB] = [coveredArches(flatA, target.arch), coveredArches(flatB, target.arch)];
  if (!sameSet(archA, archB)) out.architectures = { from: archA, to: archB, widens: archB.some((x) => !archA.includes(x)) };
  const [flagsA, flagsB] = [[...(flatA.flags ?? [])].sort(), [...(flatB.flags ?? [])].sort()];
  if (!sameSet(flagsA, flagsB)) out.flags = { from: flagsA, to: flagsB };
  out.widens = syscalls.some((s) => s.widens) || out.defaultAction?.widens === true || out.architectures?.widens === true;
  out.equal = syscalls.length === 0 && !out.defaultAction && !out.architectures && !out.flags;
  return out;
}

function diffSyscall(name: string, a: ProfileDecisions, b: ProfileDecisions): SyscallDiff | undefined {
  const [from, to] = [a.of(name), b.of(name)];
  const changes: SyscallChangeKind[] = [];
  if (!from.otherwise.allows && to.otherwise.allows) changes.push('allowed');
  else if (from.otherwise.allows && !to.otherwise.allows) changes.push('denied');
  else if (from.otherwise.label !== to.otherwise.label) changes.push('action');
  const [condA, condB] = [conditionKeys(from.conditional), conditionKeys(to.conditional)];
  if (!sameSet(condA, condB)) changes.push('args');
  if (changes.length === 0) return undefined;
  // A new condition under which the call runs widens unless A already ran it unconditionally.
  const newlyAllowedCondition = to.conditional.some((c) => c.verdict.allows && !condA.includes(conditionKey(c)));
  const widens = changes.includes('allowed') || (newlyAllowedCondition && !from.otherwise.allows);
  return { name, changes, from: summary(from), to: summary(to), widens };
}

function summary(d: SyscallDecision): DecisionSummary {
  return { action: d.otherwise.label, conditions: d.conditional.map((c) => ({ args: c.args, action: c.verdict.label })) };
}

function conditionKey(c: ConditionalVerdict): string {
  const args = [...c.args].sort((x, y) => x.index - y.index || x.op.localeCompare(y.op) || x.value - y.value);
  return JSON.stringify([args.map((x) => [x.index, x.op, x.value, x.valueTwo ?? 0]), c.verdict.label]);
}

function conditionKeys(cs: readonly ConditionalVerdict[]): string[] {
  return [...new Set(cs.map(conditionKey))].sort();
}

/** What the node can run that the filter covers: the native arch (libseccomp adds it) and its listed sub-arches. */
function coveredArches(flat: SeccompProfile, native: ScmpArch): string[] {
  const runnable = (a: string) => a === native || SUB_ARCHES[a as ScmpArch] === native;
  return [...new Set([native, ...(flat.architectures ?? []).filter(runnable)])].sort();
}

function sameSet(x: readonly string[], y: readonly string[]): boolean {
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
