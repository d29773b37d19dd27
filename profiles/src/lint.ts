// Findings about a valid profile: what runtimes will silently do differently from what it says,
// what it allows that runtimes block for good reason, and what `watch` will not be able to see.
import { ERRNO_ACTIONS, SILENT_UNLESS_FLAGGED } from './actions.js';
import { CAPABILITIES } from './capabilities.js';
import { DANGEROUS_SYSCALLS } from './dangerous-syscalls.js';
import { profileDecisions, verdict } from './decision.js';
import { didYouMean } from './did-you-mean.js';
import { DOCKER_ARCH_NAMES } from './docker-arches.js';
import { flatten } from './flatten.js';
import { jsonPointer, ProfileError } from './issues.js';
import { STARTUP_SYSCALLS, type StartupCall } from './startup-syscalls.js';
import { SUB_ARCHES } from './sub-arches.js';
import { knownSyscalls } from './syscalls/index.js';
import { SCMP_ARCHES, type Action, type ProfileIssue, type RuleFilter, type ScmpArch, type SeccompProfile, type Severity, type SyscallRule } from './model.js';

export interface LintOptions {
  /** Named in every issue; defaults to "profile". */
  source?: string;
  /** The syscall table per architecture; defaults to the bundled tables (knownSyscalls). */
  knownSyscalls?: (arch: ScmpArch) => ReadonlySet<string>;
  /** An unknown syscall name in an ALLOW rule is a warning, not an error (lint/push --allow-unknown). */
  allowUnknown?: boolean;
}

/** Architectures assumed when a profile lists none: what nearly every cluster runs. */
const COMMON_ARCHES: readonly ScmpArch[] = ['SCMP_ARCH_X86_64', 'SCMP_ARCH_AARCH64'];

const MAX_ERRNO = 4095;

function effectiveAction(action: Action, errnoRet: number | undefined): string {
  return verdict(action, errnoRet).label;
}

type Emit = (severity: Severity, code: string, path: (string | number)[], message: string) => void;

interface NameUse {
  name: string;
  rule: number;
  path: (string | number)[];
}

function ruleNames(rule: SyscallRule, i: number): NameUse[] {
  const uses = (rule.names ?? []).map((name, j) => ({ name, rule: i, path: ['syscalls', i, 'names', j] }));
  if (rule.name !== undefined) uses.push({ name: rule.name, rule: i, path: ['syscalls', i, 'name'] });
  return uses;
}

function list(names: readonly string[], max = 6): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

const BY_DOCKER_NAME = new Map<string, ScmpArch>(
  Object.entries(DOCKER_ARCH_NAMES).flatMap(([scmp, names]) => names.map((n) => [n, scmp as ScmpArch] as const)),
);

/** The architectures a profile is for (none listed: the common ones). */
export function profileArches(p: SeccompProfile): ScmpArch[] {
  const listed = p.architectures?.length ? p.architectures : (p.archMap ?? []).flatMap((e) => [e.architecture, ...(e.subArchitectures ?? [])]);
  return listed.length > 0 ? [...new Set(listed as ScmpArch[])] : [...COMMON_ARCHES];
}

/** The syscall table per architecture, for those that have one (an empty table means none). */
function tables(arches: readonly ScmpArch[], lookup: (arch: ScmpArch) => ReadonlySet<string>): Map<ScmpArch, ReadonlySet<string>> {
  const out = new Map<ScmpArch, ReadonlySet<string>>();
  for (const arch of arches) {
    const known = lookup(arch);
    if (known.size > 0) out.set(arch, known);
  }
  return out;
}

function checkDefault(p: SeccompProfile, emit: Emit): void {
  if (p.defaultAction === 'SCMP_ACT_ALLOW') {
    const blocked = new Set(
      (p.syscalls ?? []).filter((r) => r.action !== 'SCMP_ACT_ALLOW' && r.action !== 'SCMP_ACT_LOG' && !r.args?.length).flatMap((r) => r.names ?? []),
    );
    const open = Object.keys(DANGEROUS_SYSCALLS).filter((n) => DANGEROUS_SYSCALLS[n]?.severity === 'warning' && !blocked.has(n));
    emit(
      'warning',
      'default-allow',
      ['defaultAction'],
      `everything not listed is allowed${open.length ? `, including ${list(open)}` : ''}: this profile only blocks what it names`,
    );
  }
  if (p.defaultAction === 'SCMP_ACT_LOG') {
    emit('info', 'audit-mode', ['defaultAction'], 'audit mode: every syscall not listed is allowed and logged, nothing is blocked');
  }
  if (p.defaultAction === 'SCMP_ACT_NOTIFY') {
    emit('error', 'notify-default-action', ['defaultAction'], 'runc refuses SCMP_ACT_NOTIFY as the default action');
  }
  if (p.defaultErrnoRet !== undefined && !ERRNO_ACTIONS.has(p.defaultAction)) {
    emit('warning', 'errno-ret-ignored', ['defaultErrnoRet'], `defaultErrnoRet is ignored with ${p.defaultAction} (only ERRNO and TRACE return an errno)`);
  }
  if (p.defaultErrnoRet !== undefined && p.defaultErrnoRet > MAX_ERRNO) {
    emit('warning', 'errno-ret-range', ['defaultErrnoRet'], `${p.defaultErrnoRet} is not an errno value (1..${MAX_ERRNO})`);
  }
  if (p.architectures?.length && p.archMap?.length) {
    emit('error', 'architectures-and-archmap', ['archMap'], "'architectures' and 'archMap' are both set: Docker and CRI-O refuse the profile");
  }
}

function checkVisibility(p: SeccompProfile, emit: Emit): void {
  if (p.flags?.includes('SECCOMP_FILTER_FLAG_LOG')) return;
  const silent = new Set<Action>([p.defaultAction, ...(p.syscalls ?? []).map((r) => r.action)].filter((a) => SILENT_UNLESS_FLAGGED.has(a)));
  if (silent.size === 0) return;
  emit(
    'info',
    'invisible-denials',
    ['flags'],
    `denials by ${[...silent].join(', ')} are not logged, so \`watch\` cannot show them: add SECCOMP_FILTER_FLAG_LOG to "flags" (runc >= 1.2) or push with --audit`,
  );
}

/** Unknown capabilities, and what containerd (which ignores includes/excludes) makes of the rule. */
function checkFilter(field: 'includes' | 'excludes', filter: RuleFilter, names: string[], at: (string | number)[], emit: Emit): void {
  for (const [j, cap] of (filter.caps ?? []).entries()) {
    if (!CAPABILITIES.includes(cap))
      emit('warning', 'unknown-capability', [...at, 'caps', j], `unknown capability ${JSON.stringify(cap)}: no container ever has it`);
  }
  const conditions: string[] = [];
  if (filter.caps?.length) conditions.push(field === 'includes' ? 'whatever its capabilities' : `even with ${filter.caps.join(', ')}`);
  if (filter.arches?.length) conditions.push(field === 'includes' ? 'on every architecture' : `even on ${filter.arches.join(', ')}`);
  if (filter.minKernel) conditions.push(field === 'includes' ? 'on every kernel' : `even on kernels >= ${filter.minKernel}`);
  if (conditions.length === 0) return;
  // Only a capability gate changes who may call what; arch and kernel gates mostly guard names that would not resolve anyway.
  const severity: Severity = filter.caps?.length ? 'warning' : 'info';
  const crio = filter.minKernel ? 'CRI-O honours it except minKernel' : 'CRI-O honours it';
  emit(
    severity,
    'containerd-ignores-field',
    at,
    `containerd ignores "${field}": this rule (${list(names)}) applies to every container there, ${conditions.join(', ')}; ${crio}`,
  );
}

function checkRule(p: SeccompProfile, rule: SyscallRule, i: number, emit: Emit): void {
  const at = ['syscalls', i];
  const names = ruleNames(rule, i).map((u) => u.name);
  if (rule.errnoRet !== undefined && !ERRNO_ACTIONS.has(rule.action)) {
    emit('warning', 'errno-ret-ignored', [...at, 'errnoRet'], `errnoRet is ignored with ${rule.action} (only ERRNO and TRACE return an errno)`);
  }
  if (rule.errnoRet !== undefined && rule.errnoRet > MAX_ERRNO) {
    emit('warning', 'errno-ret-range', [...at, 'errnoRet'], `${rule.errnoRet} is not an errno value (1..${MAX_ERRNO})`);
  }
  if (rule.action === 'SCMP_ACT_NOTIFY' && names.includes('write')) {
    emit('error', 'notify-write', [...at, 'action'], 'runc refuses SCMP_ACT_NOTIFY for the write syscall (it would hang container start)');
  }
  if (effectiveAction(rule.action, rule.errnoRet) === effectiveAction(p.defaultAction, p.defaultErrnoRet)) {
    emit('info', 'redundant-rule', [...at, 'action'], `the rule repeats the default action ${p.defaultAction}; runc skips it`);
  }
  const allows = rule.action === 'SCMP_ACT_ALLOW' || rule.action === 'SCMP_ACT_LOG';
  // Argument conditions and capability gates are how runtimes themselves allow these safely.
  if (allows && !rule.args?.length && !rule.includes?.caps?.length) {
    for (const use of ruleNames(rule, i)) {
      const d = DANGEROUS_SYSCALLS[use.name];
      if (d) emit(d.severity, 'dangerous-syscall', use.path, `allows ${use.name}: ${d.reason}`);
    }
  }
  for (const field of ['includes', 'excludes'] as const) {
    const filter = rule[field];
    if (filter) checkFilter(field, filter, names, [...at, field], emit);
  }
  if (rule.name !== undefined) {
    const fate = rule.names?.length ? `"${rule.name}" is left out there` : 'the rule matches nothing there';
    emit('warning', 'containerd-ignores-field', [...at, 'name'], `containerd ignores the singular "name": ${fate}; use "names"`);
  }
  if (rule.comment !== undefined) {
    emit('info', 'containerd-ignores-field', [...at, 'comment'], 'containerd ignores "comment" (harmless; it is dropped when flattened)');
  }
}

/**
 * libseccomp resolves a name it knows for any architecture (as a pseudo-number where the syscall
 * does not exist), so runc drops only names unknown everywhere. A name that exists on one listed
 * native architecture but not on another is reported once per architecture and kind of rule (per name
 * they would drown the rest): a warning in a rule that blocks or logs (that rule does less on that
 * architecture than it reads), info in an ALLOW rule (allowing a call that does not exist there changes
 * nothing; the runtimes' default profiles do it). Sub-architectures (x86 under x86_64)
 * lack newer calls by design and are not compared. Missing on every listed architecture, the rule is as good as a typo: an error in an
 * ALLOW rule (the call the user meant to allow stays denied), unless allowUnknown.
 */
function checkNames(p: SeccompProfile, lookup: (arch: ScmpArch) => ReadonlySet<string>, emit: Emit, allowUnknown: boolean): void {
  // Every arch's table is looked at only for a name missing from the arches the rule applies to.
  let everywhere: ReadonlySet<string>[] | undefined;
  const allTables = () => (everywhere ??= [...tables(SCMP_ARCHES, lookup).values()]);
  const known = tables(profileArches(p), lookup);
  const byName = new Map<string, NameUse[]>();
  const partly = new Map<string, { arch: ScmpArch; allows: boolean; path: NameUse['path']; names: Set<string> }>();
  (p.syscalls ?? []).forEach((rule, i) => {
    const ruleArches = rule.includes?.arches?.flatMap((a) => BY_DOCKER_NAME.get(a) ?? []);
    const checkOn = ruleArches?.length ? tables(ruleArches, lookup) : known;
    // Dropped from an ALLOW rule, the call falls to the default action: denied, not allowed.
    const denied = rule.action === 'SCMP_ACT_ALLOW' && !allowUnknown;
    const severity = denied ? 'error' : 'warning';
    const effect = denied ? 'so this call is denied (--allow-unknown: a warning)' : 'so this never matches anything';
    for (const use of ruleNames(rule, i)) {
      byName.set(use.name, [...(byName.get(use.name) ?? []), use]);
      const quoted = JSON.stringify(use.name);
      const missing = [...checkOn].filter(([, t]) => !t.has(use.name)).map(([arch]) => arch);
      if (missing.length === 0) continue;
      if (missing.length < checkOn.size) {
        const native = [...checkOn].filter(([arch]) => SUB_ARCHES[arch] === undefined);
        if (!native.some(([, t]) => t.has(use.name))) continue;
        const allows = rule.action === 'SCMP_ACT_ALLOW';
        for (const arch of missing.filter((a) => SUB_ARCHES[a] === undefined)) {
          const entry = partly.get(`${arch} ${allows}`) ?? { arch, allows, path: use.path, names: new Set<string>() };
          entry.names.add(use.name);
          partly.set(`${arch} ${allows}`, entry);
        }
        continue;
      }
      const all = allTables();
      if (all.length === 0) continue;
      if (all.some((t) => t.has(use.name))) {
        emit(
          severity,
          'syscall-not-on-arch',
          use.path,
          `${quoted} does not exist on ${missing.join(', ')}, the profile's architectures: it never matches, ${effect}`,
        );
        continue;
      }
      const near = didYouMean(
        use.name,
        (checkOn.size > 0 ? [...checkOn.values()] : all).flatMap((t) => [...t]),
      );
      const hint = near ? ` (did you mean ${JSON.stringify(near)}?)` : '';
      emit(severity, 'unknown-syscall', use.path, `unknown syscall ${quoted}${hint}: runc silently drops names libseccomp does not know, ${effect}`);
    }
  });
  for (const { arch, allows, path, names } of partly.values()) {
    const list = [...names];
    const shown = list.length > 8 ? `${list.slice(0, 8).join(', ')} and ${list.length - 8} more` : list.join(', ');
    const verb = list.length === 1 ? 'does' : 'do';
    const message = `${shown} ${verb} not exist on ${arch} (only on other listed architectures): never matched on ${arch} nodes`;
    emit(allows ? 'info' : 'warning', 'syscall-not-on-arch', path, message);
  }
  const rules = p.syscalls ?? [];
  const key = (r: SyscallRule) => JSON.stringify([r.args ?? [], r.includes ?? null, r.excludes ?? null]);
  for (const [name, uses] of byName) {
    uses.forEach((use, k) => {
      const rule = rules[use.rule];
      if (!rule) return;
      const earlier = uses.slice(0, k).find((u) => u.rule !== use.rule && rules[u.rule] && key(rules[u.rule] as SyscallRule) === key(rule));
      if (!earlier) return;
      const first = rules[earlier.rule] as SyscallRule;
      if (effectiveAction(first.action, first.errnoRet) === effectiveAction(rule.action, rule.errnoRet)) {
        emit('warning', 'duplicate-rule', use.path, `${name} is already listed with ${rule.action} in ${jsonPointer(['syscalls', earlier.rule])}`);
      } else {
        emit(
          'error',
          'contradictory-rule',
          use.path,
          `${name} is ${rule.action} here but ${first.action} in ${jsonPointer(['syscalls', earlier.rule])} under the same conditions: runc fails to load conflicting rules`,
        );
      }
    });
  }
}

/**
 * Denying a call every container makes at start (STARTUP_SYSCALLS) on an architecture the profile
 * lists: no container starts. A call allowed under some argument condition is given the benefit of the doubt.
 */
function checkStart(p: SeccompProfile, lookup: (arch: ScmpArch) => ReadonlySet<string>, emit: Emit): void {
  const denied = new Map<string, { arches: ScmpArch[]; calls: Set<StartupCall> }>();
  for (const arch of profileArches(p)) {
    let flat: SeccompProfile;
    try {
      flat = flatten(p, { arch });
    } catch (err) {
      if (err instanceof ProfileError) continue; // reported by its own check
      throw err;
    }
    const decisions = profileDecisions(flat);
    const known = lookup(arch);
    for (const call of STARTUP_SYSCALLS) {
      const names = call.names.filter((n) => known.has(n));
      const allowed = (name: string) => {
        const d = decisions.of(name);
        return d.otherwise.allows || d.conditional.some((c) => c.verdict.allows);
      };
      if (names.length === 0 || names.some(allowed)) continue;
      const byDefault = names.every((n) => !decisions.named.has(n));
      const at = byDefault ? 'defaultAction' : denyingRule(p, names);
      const entry = denied.get(at) ?? { arches: [], calls: new Set<StartupCall>() };
      if (!entry.arches.includes(arch)) entry.arches.push(arch);
      entry.calls.add(call);
      denied.set(at, entry);
    }
  }
  for (const [at, { arches, calls }] of denied) {
    const why = [...calls].map((c) => `${c.names.join(' and ')} (${c.why})`).join('; ');
    const path = at === 'defaultAction' ? ['defaultAction'] : ['syscalls', Number(at)];
    emit('error', 'cannot-start', path, `no container can start under this profile on ${arches.join(', ')}: it denies ${why}`);
  }
}

/** The last blocking rule without conditions naming one of the calls: the one that decides it. */
function denyingRule(p: SeccompProfile, names: readonly string[]): string {
  const names_ = (r: SyscallRule) => [...(r.names ?? []), ...(r.name ? [r.name] : [])];
  return String((p.syscalls ?? []).findLastIndex((r) => !r.args?.length && !verdict(r.action).allows && names_(r).some((n) => names.includes(n))));
}

/** Lint findings with stable codes; 'error' only for what breaks or is certainly wrong. */
export function lintProfile(profile: SeccompProfile, opts: LintOptions = {}): ProfileIssue[] {
  const source = opts.source ?? 'profile';
  const issues: ProfileIssue[] = [];
  const emit: Emit = (severity, code, path, message) => issues.push({ severity, code, source, path: jsonPointer(path), message });
  checkDefault(profile, emit);
  if (profile.archMap?.length) {
    emit(
      'warning',
      'containerd-ignores-field',
      ['archMap'],
      'containerd ignores "archMap": the filter covers only the node\'s native architecture there; list "architectures" instead',
    );
  }
  (profile.syscalls ?? []).forEach((rule, i) => checkRule(profile, rule, i, emit));
  checkNames(profile, opts.knownSyscalls ?? knownSyscalls, emit, opts.allowUnknown === true);
  checkStart(profile, opts.knownSyscalls ?? knownSyscalls, emit);
  checkVisibility(profile, emit);
  return issues;
}
