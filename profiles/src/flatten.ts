// Docker-format profile -> the plain OCI profile a runtime enforces on one node, following moby's
// profiles/seccomp setupSeccomp: archMap picks the node's entry, includes/excludes are evaluated
// against the node's arch (Docker names), the container's capabilities and the node's kernel.
import { DEFAULT_CAPS } from './capabilities.js';
import { DOCKER_ARCH_NAMES } from './docker-arches.js';
import { ProfileError } from './issues.js';
import { kernelAtLeast, parseKernelRelease, parseMinKernel, type KernelVersion } from './kernel-release.js';
import type { RuleFilter, ScmpArch, SeccompProfile, SyscallRule } from './model.js';

export interface FlattenTarget {
  /** The node's native architecture. */
  arch: ScmpArch;
  /** The node's kernel release (`uname -r`); omitted: every minKernel condition counts as met. */
  kernel?: string;
  /** The container's capabilities; omitted: the runtimes' default set (DEFAULT_CAPS). */
  caps?: string[];
  /**
   * false: the node's OCI runtime takes no seccomp `flags` (runc < 1.2 refuses to start a container
   * whose profile has any), so they are dropped. Omitted: kept.
   */
  filterFlags?: boolean;
}

interface Node {
  arches: readonly string[];
  caps: ReadonlySet<string>;
  kernel: KernelVersion | undefined;
}

function minKernelMet(node: Node, filter: RuleFilter): boolean | undefined {
  if (!filter.minKernel) return undefined;
  const min = parseMinKernel(filter.minKernel);
  if (!min) throw new ProfileError(`invalid minKernel ${JSON.stringify(filter.minKernel)}: expected "<kernel>.<major>"`);
  return node.kernel === undefined || kernelAtLeast(node.kernel, min);
}

/** moby's rule selection: any excludes condition that holds drops the rule, every includes condition must hold. */
function applies(rule: SyscallRule, node: Node): boolean {
  const inArch = (arches: readonly string[]) => arches.some((a) => node.arches.includes(a));
  const ex = rule.excludes;
  if (ex) {
    if (ex.arches?.length && inArch(ex.arches)) return false;
    if (ex.caps?.some((c) => node.caps.has(c))) return false;
    if (minKernelMet(node, ex) === true) return false;
  }
  const inc = rule.includes;
  if (inc) {
    if (inc.arches?.length && !inArch(inc.arches)) return false;
    if (inc.caps?.length && !inc.caps.every((c) => node.caps.has(c))) return false;
    if (minKernelMet(node, inc) === false) return false;
  }
  return true;
}

function plainRule(rule: SyscallRule): SyscallRule | undefined {
  const names = [...(rule.names ?? []), ...(rule.name ? [rule.name] : [])];
  if (names.length === 0) return undefined;
  const out: SyscallRule = { names, action: rule.action };
  if (rule.errnoRet !== undefined) out.errnoRet = rule.errnoRet;
  if (rule.args) out.args = rule.args.map((a) => ({ ...a }));
  return out;
}

/**
 * The plain OCI profile a runtime enforces for a container on the given node. A profile with no
 * Docker-format fields comes back equal (as a copy).
 */
export function flatten(profile: SeccompProfile, target: FlattenTarget): SeccompProfile {
  if (profile.architectures?.length && profile.archMap?.length) {
    throw new ProfileError("'architectures' and 'archMap' are both set: Docker and CRI-O refuse the profile, use one of them");
  }
  if (profile.syscalls?.some((r) => r.name && r.names?.length)) {
    throw new ProfileError("a rule sets both 'name' and 'names': Docker and CRI-O refuse the profile, use 'names'");
  }
  let kernel: KernelVersion | undefined;
  if (target.kernel !== undefined) {
    kernel = parseKernelRelease(target.kernel);
    if (!kernel) throw new ProfileError(`cannot read kernel release ${JSON.stringify(target.kernel)}: expected e.g. "6.8.0-45-generic"`);
  }
  const node: Node = { arches: DOCKER_ARCH_NAMES[target.arch], caps: new Set(target.caps ?? DEFAULT_CAPS), kernel };

  const { archMap, syscalls, architectures, flags, ...rest } = profile;
  const out: SeccompProfile = { ...rest };
  if (flags && target.filterFlags !== false) out.flags = [...flags];
  if (archMap?.length) {
    const entry = archMap.find((e) => e.architecture === target.arch);
    if (entry) out.architectures = [entry.architecture, ...(entry.subArchitectures ?? [])];
  } else if (architectures) {
    out.architectures = [...architectures];
  }
  if (syscalls) {
    out.syscalls = syscalls.filter((r) => applies(r, node)).flatMap((r) => plainRule(r) ?? []);
  }
  return out;
}
