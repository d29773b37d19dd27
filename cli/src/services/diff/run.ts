import { diffProfiles, diffTargets, SCMP_ARCHES, type DiffTarget, type ScmpArch } from '@kubectl-seccomp/profiles';
import { UserError } from '../../errors.js';
import type { DiffOutput } from '../../output/types.js';
import type { DiffSide } from './sides.js';

export interface DiffOptions {
  /** SCMP_ARCH_* names; empty: every native arch either profile is for. */
  arches: readonly string[];
  kernel?: string;
}

export function runDiff(a: DiffSide, b: DiffSide, opts: DiffOptions): DiffOutput {
  const targets: DiffTarget[] = opts.arches.length ? opts.arches.map((arch) => target(arch, opts.kernel)) : diffTargets(a.profile, b.profile, opts.kernel);
  try {
    return { a: a.source, b: b.source, ...diffProfiles(a.profile, b.profile, targets) };
  } catch (err) {
    // flatten refuses what Docker and CRI-O refuse (archMap with architectures, a bad minKernel).
    throw new UserError((err as Error).message);
  }
}

function target(arch: string, kernel: string | undefined): DiffTarget {
  if (!(SCMP_ARCHES as readonly string[]).includes(arch)) throw new UserError(`--arch ${arch}: not an SCMP_ARCH_* name (e.g. SCMP_ARCH_X86_64)`);
  return kernel ? { arch: arch as ScmpArch, kernel } : { arch: arch as ScmpArch };
}

/** 1 when B allows anything A did not (with anyChange: when anything differs), else 0. */
export function diffExitCode(out: DiffOutput, anyChange: boolean): number {
  return out.widens || (anyChange && !out.equal) ? 1 : 0;
}
