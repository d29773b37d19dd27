import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const CACHE = join(REPO, 'build/cache/image/test');

/** undefined when images can be built here (scripts/build-image.mjs), else why not. */
export function imagePrerequisites(): string | undefined {
  if (process.getuid?.() !== 0) return 'building images (umoci unpack/repack with root-owned files) needs root';
  for (const bin of ['/usr/bin/umoci', '/usr/bin/mmdebstrap', '/usr/bin/readelf']) {
    if (!existsSync(bin)) return `${bin} is missing: scripts/setup.sh installs it`;
  }
  return undefined;
}

export type ImageTarget = 'agent' | 'busybox' | 'pause';

/** Names of the images the targets make (scripts/build-image/targets.mjs). */
export const IMAGE_NAMES = {
  busybox: 'localhost/kubectl-seccomp/busybox:test',
  pause: 'localhost/kubectl-seccomp/pause:test',
} as const;

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => files(join(path, entry)));
}

const NATIVE_SOURCES = ['agent/native/seccomp-capture.c', 'agent/native/procs.bpf.c', 'agent/native/procs.h'];

/** What a target is built from, hashed: its archive is rebuilt only when one of these changes. */
function inputsKey(target: ImageTarget): string {
  const paths = ['scripts/build-image.mjs', 'scripts/build-image', 'scripts/install-node.sh', '.node-version'];
  // The native helper's sources too: an image of another architecture cross-builds it from them.
  if (target === 'agent')
    paths.push('agent/package.json', 'agent/bin', 'agent/bundle', 'agent/native/build/seccomp-capture', 'scripts/build-native.sh', ...NATIVE_SOURCES);
  const hash = createHash('sha256');
  for (const file of paths.flatMap((p) => files(join(REPO, p)))) {
    hash.update(relative(REPO, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The OCI archive of one image target for one platform (default linux/amd64), built by
 * scripts/build-image.mjs the way `npm run image` builds it, and kept under build/cache keyed by its
 * inputs (or written to `outDir`).
 */
export async function imageArchive(target: ImageTarget, opts: { outDir?: string; arch?: 'amd64' | 'arm64' } = {}): Promise<string> {
  const arch = opts.arch ?? 'amd64';
  const name = `${target}-${arch}`;
  const out = opts.outDir ?? join(CACHE, `${name}-${inputsKey(target)}`);
  const file = join(out, `${target === 'agent' ? 'seccomp-agent' : target}-${arch}.oci.tar`);
  if (existsSync(file)) return file;
  // Archives of this target built from older inputs are of no further use.
  for (const entry of !opts.outDir && existsSync(CACHE) ? readdirSync(CACHE) : []) {
    if (entry.startsWith(`${name}-`) && join(CACHE, entry) !== out) rmSync(join(CACHE, entry), { recursive: true, force: true });
  }
  const { stdout } = await execFileAsync(process.execPath, [join(REPO, 'scripts/build-image.mjs'), '--target', target, '--platform', arch, '--out', out], {
    env: { ...process.env, SOURCE_DATE_EPOCH: '0' },
    maxBuffer: 1 << 24,
  });
  const built = stdout.trim().split('\n').at(-1)!;
  if (built !== file) throw new Error(`build-image wrote ${built}, expected ${file}`);
  return file;
}
