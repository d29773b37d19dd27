// Debian's files for an image, from Debian's packages without running any of them:
// mmdebstrap's `extract` variant unpacks the packages (and their dependencies) for any
// architecture, and only the files the image's programs need are then copied out.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { closure } from './elf.mjs';

/** Debian's multiarch triplet per OCI architecture: where libraries are. */
const TRIPLET = { amd64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' };

export function libDirs(arch) {
  const t = TRIPLET[arch];
  if (!t) throw new Error(`no Debian triplet for ${arch}`);
  return [`/lib/${t}`, `/usr/lib/${t}`, '/lib', '/usr/lib'];
}

/**
 * The extracted packages of one architecture, as a directory cached under `cache` and keyed by
 * suite, architecture and package list (apt's lists decide the versions; `rm -rf` the cache to
 * take newer ones).
 */
export function debianTree({ cache, suite, arch, packages, log }) {
  const key = `${suite}-${arch}-${[...packages].sort().join(',')}`;
  const dir = join(cache, 'debian', key);
  if (existsSync(join(dir, '.complete'))) return dir;
  mkdirSync(dirname(dir), { recursive: true });
  const tmp = mkdtempSync(`${dir}.tmp-`);
  try {
    log(`extracting Debian ${suite} ${arch}: ${packages.join(' ')}`);
    const tar = join(tmp, 'root.tar');
    execFileSync('mmdebstrap', ['--quiet', '--variant=extract', `--arch=${arch}`, `--include=${packages.join(',')}`, '--skip=output/dev', suite, tar], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    mkdirSync(join(tmp, 'root'));
    execFileSync('tar', ['-xf', tar, '-C', join(tmp, 'root'), '--numeric-owner']);
    rmSync(tar);
    execFileSync('touch', [join(tmp, 'root/.complete')]);
    // Another build may have finished the same tree meanwhile (the tests build images in parallel):
    // keep the one in place, never replace a tree someone may be reading.
    if (!existsSync(join(dir, '.complete'))) {
      rmSync(dir, { recursive: true, force: true });
      renameSync(join(tmp, 'root'), dir);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

/**
 * Copies into `rootfs` the given programs of `tree` and every library they load (with the
 * symlinks that name them), and the libraries of `outside` programs (host paths: e.g. Node,
 * which the caller puts in its own layer). Returns the paths copied.
 */
export function copyClosure({ tree, rootfs, arch, programs, outside = [] }) {
  const files = closure(tree, programs, libDirs(arch), outside);
  for (const f of files) {
    mkdirSync(dirname(join(rootfs, f)), { recursive: true });
    cpSync(join(tree, f), join(rootfs, f), { verbatimSymlinks: true });
  }
  return files;
}
