// Kernel versions the way moby compares them: only "<kernel>.<major>" counts, so "5.8.0-45-generic",
// "5.8-1-amd64" and "5.8" are all 5.8.

export interface KernelVersion {
  kernel: number;
  major: number;
}

/** A Docker-format `minKernel`: exactly "<kernel>.<major>", each 0..255, not "0.0" (moby rejects anything else). */
export function parseMinKernel(text: string): KernelVersion | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const v = { kernel: Number(m[1]), major: Number(m[2]) };
  if (v.kernel > 255 || v.major > 255 || (v.kernel === 0 && v.major === 0)) return undefined;
  return v;
}

/** A node's `uname -r` release, e.g. "6.8.0-45-generic": its leading "<kernel>.<major>". */
export function parseKernelRelease(release: string): KernelVersion | undefined {
  const m = /^(\d+)\.(\d+)/.exec(release.trim());
  if (!m) return undefined;
  return { kernel: Number(m[1]), major: Number(m[2]) };
}

export function kernelAtLeast(have: KernelVersion, min: KernelVersion): boolean {
  return have.kernel > min.kernel || (have.kernel === min.kernel && have.major >= min.major);
}
