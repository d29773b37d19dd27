/** Versions of host programs, from what they print or from the bytes of their binary. */

const VERSION = String.raw`\d+\.\d+(?:\.\d+)?(?:[-+~][0-9A-Za-z.+~-]*)?`;
const SEMVER = String.raw`\d+\.\d+\.\d+(?:[-+~][0-9A-Za-z.+~-]*)?`;

/** The first version number in `prog --version` output ("runc version 1.1.5", "containerd ... v1.7.2 ..."). */
export function versionFromOutput(text: string): string {
  return new RegExp(String.raw`(?:^|[\s:])v?(${SEMVER})`).exec(text)?.[1] ?? '';
}

/**
 * Best effort, without executing anything: "NAME version X" when the binary holds that text,
 * else a NUL-delimited version string (Go programs such as runc get theirs through -ldflags -X,
 * C programs such as crun as PACKAGE_VERSION). When one candidate extends another (runc's
 * "1.1.5+ds1" and its Debian commit "1.1.5+ds1-1+deb12u1"), the shorter is the version.
 */
export function versionFromBinary(bytes: Buffer, name: string): string {
  const text = bytes.toString('latin1');
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const labelled = new RegExp(String.raw`${escaped} version v?(${VERSION})`).exec(text);
  if (labelled?.[1]) return labelled[1];
  const candidates = [...text.matchAll(new RegExp(String.raw`\0v?(${SEMVER})(?=\0)`, 'g'))].map((m) => m[1] ?? '').slice(0, 16);
  const first = candidates[0];
  if (first === undefined) return '';
  return candidates.find((c) => c !== first && first.startsWith(c)) ?? first;
}

/** Compares the leading numeric parts of a version with a minimum; false for unparseable. */
export function versionAtLeast(version: string, min: readonly number[]): boolean {
  const parts = /^v?(\d+(?:\.\d+)*)/.exec(version)?.[1]?.split('.').map(Number);
  if (!parts) return false;
  for (let i = 0; i < min.length; i++) {
    const have = parts[i] ?? 0;
    const want = min[i] ?? 0;
    if (have !== want) return have > want;
  }
  return true;
}
