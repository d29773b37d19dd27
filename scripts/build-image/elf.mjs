// What a dynamically linked ELF file needs at run time, read with binutils' readelf (it reads any
// architecture, so the arm64 image is assembled on an amd64 machine without running arm64 code).
import { execFileSync } from 'node:child_process';
import { lstatSync, readlinkSync } from 'node:fs';
import { posix } from 'node:path';

/** The interpreter, NEEDED libraries and RUNPATH/RPATH dirs in `readelf -d -l` output. */
export function parseReadelf(text) {
  const interp = /\[Requesting program interpreter: ([^\]]+)\]/.exec(text)?.[1];
  const needed = [...text.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
  const runpath = [...text.matchAll(/\((?:RUNPATH|RPATH)\)\s+Library r(?:un)?path: \[([^\]]+)\]/g)].flatMap((m) => m[1].split(':'));
  return { interp, needed, runpath };
}

/**
 * Resolves an absolute path inside `root` the way the kernel would inside a chroot, following
 * symlinks (absolute ones relative to root). Returns every path visited (links and the final
 * file) so that a copy keeps the same names working, or undefined when nothing is there.
 */
export function resolveIn(root, path, seen = []) {
  const parts = path.split('/').filter(Boolean);
  let at = '/';
  for (let i = 0; i < parts.length; i++) {
    const next = posix.join(at, parts[i]);
    let st;
    try {
      st = lstatSync(root + next);
    } catch {
      return undefined;
    }
    if (st.isSymbolicLink()) {
      if (seen.length > 40) throw new Error(`too many symlinks resolving ${path} in ${root}`);
      seen.push(next);
      const target = readlinkSync(root + next);
      const rest = parts.slice(i + 1).join('/');
      return resolveIn(root, posix.join(target.startsWith('/') ? target : posix.join(at, target), rest), seen);
    }
    at = next;
  }
  return [...seen, at];
}

/**
 * Every file (with the symlinks that lead to it) that the given programs of `root` need: the
 * programs, their interpreter and their libraries, recursively. `outside` are programs from
 * elsewhere (host paths, e.g. Node) whose libraries must come from `root`; they are not listed.
 */
export function closure(root, programs, libDirs, outside = []) {
  const out = new Set();
  const done = new Set();
  const queue = [...programs];
  const visit = (file) => {
    const text = execFileSync('readelf', ['-d', '-l', '-W', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const { interp, needed, runpath } = parseReadelf(text);
    if (interp) queue.push(interp);
    for (const lib of needed) {
      const dir = [...runpath, ...libDirs].find((d) => resolveIn(root, posix.join(d, lib)));
      if (!dir) throw new Error(`${file} needs ${lib}, which is not in ${root}`);
      queue.push(posix.join(dir, lib));
    }
  };
  for (const file of outside) visit(file);
  while (queue.length > 0) {
    const path = queue.shift();
    if (done.has(path)) continue;
    done.add(path);
    const chain = resolveIn(root, path);
    if (!chain) throw new Error(`${path} is not in ${root}`);
    for (const p of chain) out.add(p);
    visit(root + chain.at(-1));
  }
  return [...out].sort();
}
