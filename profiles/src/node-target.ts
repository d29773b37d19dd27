import { flatten, type FlattenTarget } from './flatten.js';
import { profileDigest, serializeProfile, sha256Hex } from './canonical.js';
import { SCMP_ARCHES, type ScmpArch, type SeccompProfile } from './model.js';
import { archFromMachine } from './syscalls/index.js';

/** What a node says about itself that decides how a profile is flattened (NodeInfo has these fields). */
export interface NodeDescription {
  /** SCMP_ARCH_* names, native first. */
  architectures: readonly string[];
  /** uname machine, the fallback when architectures is empty. */
  machine: string;
  /** "" when unknown: flatten then treats every minKernel condition as met. */
  kernelRelease: string;
  /** The OCI runtime takes seccomp `flags` (runc >= 1.2, crun >= 0.19); false: they are dropped. Omitted: kept. */
  filterFlagLogSupported?: boolean;
}

export class UnknownNodeArchError extends Error {
  override readonly name = 'UnknownNodeArchError';
}

export function flattenTargetFor(node: NodeDescription): FlattenTarget {
  const native = node.architectures[0];
  let arch: ScmpArch | undefined;
  if (native !== undefined && (SCMP_ARCHES as readonly string[]).includes(native)) arch = native as ScmpArch;
  else arch = archFromMachine(node.machine)?.scmp;
  if (!arch) {
    throw new UnknownNodeArchError(`unknown architecture (node reports architectures [${node.architectures.join(', ')}], machine "${node.machine}")`);
  }
  return {
    arch,
    ...(node.kernelRelease ? { kernel: node.kernelRelease } : {}),
    ...(node.filterFlagLogSupported === false ? { filterFlags: false } : {}),
  };
}

export interface RenderedProfile {
  /** The exact bytes written on the node. */
  text: string;
  sha256: string;
  /** flatten changed the profile: Docker-format parts were resolved for this node. */
  flattened: boolean;
}

/**
 * The one way a profile becomes a node's file, shared by `push` (CLI) and the ConfigMap reconciler
 * (agent), so both produce the same bytes and a second push finds nothing to send.
 */
export function renderForNode(profile: SeccompProfile, node: NodeDescription): RenderedProfile {
  const flat = flatten(profile, flattenTargetFor(node));
  const text = serializeProfile(flat);
  return { text, sha256: sha256Hex(text), flattened: profileDigest(flat) !== profileDigest(profile) };
}
