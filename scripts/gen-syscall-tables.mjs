#!/usr/bin/env node
// Generates profiles/data/syscalls/<arch>.json from libseccomp's scmp_sys_resolver (Debian package
// `seccomp`). No npm package ships these tables, and syscall numbers differ per architecture, so the
// data is generated once from the library the runtimes themselves use, then checked in.
//
// libseccomp has no "list all" command: every number in a generous range is resolved per arch to
// collect the union of names, then every name is resolved per arch to get its canonical number
// (x32 numbers carry 0x40000000, MIPS ones their ABI base of 4000/5000/6000, ARM private calls sit at
// 0xf0000). A negative answer means the syscall does not exist on that arch (libseccomp's pseudo
// numbers), so it is left out.
//
// Usage: node scripts/gen-syscall-tables.mjs [OUT_DIR]   (default profiles/data/syscalls)
import { execFile } from 'node:child_process';
import console from 'node:console';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const RESOLVER = process.env.SCMP_SYS_RESOLVER ?? 'scmp_sys_resolver';

/** libseccomp arch token -> SCMP_ARCH_* name (the profile spelling). */
const ARCHES = {
  x86: 'SCMP_ARCH_X86',
  x86_64: 'SCMP_ARCH_X86_64',
  x32: 'SCMP_ARCH_X32',
  arm: 'SCMP_ARCH_ARM',
  aarch64: 'SCMP_ARCH_AARCH64',
  mips: 'SCMP_ARCH_MIPS',
  mips64: 'SCMP_ARCH_MIPS64',
  mips64n32: 'SCMP_ARCH_MIPS64N32',
  mipsel: 'SCMP_ARCH_MIPSEL',
  mipsel64: 'SCMP_ARCH_MIPSEL64',
  mipsel64n32: 'SCMP_ARCH_MIPSEL64N32',
  ppc: 'SCMP_ARCH_PPC',
  ppc64: 'SCMP_ARCH_PPC64',
  ppc64le: 'SCMP_ARCH_PPC64LE',
  s390: 'SCMP_ARCH_S390',
  s390x: 'SCMP_ARCH_S390X',
  parisc: 'SCMP_ARCH_PARISC',
  parisc64: 'SCMP_ARCH_PARISC64',
  riscv64: 'SCMP_ARCH_RISCV64',
};

/**
 * Numbers to probe: the common range, where libseccomp also accepts x32 and MIPS numbers without their
 * offset (the highest number in any 2.5 table is x32's 547), plus ARM's private calls.
 */
const PROBE = [...Array.from({ length: 640 }, (_, i) => i), ...Array.from({ length: 0x10 }, (_, i) => 0xf0000 + i)];

async function resolver(arch, arg) {
  const { stdout } = await run(RESOLVER, ['-a', arch, String(arg)]);
  return stdout.trim();
}

/** Runs fn over items with bounded concurrency, keeping order. */
async function mapPool(items, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(4, availableParallelism() * 4) }, worker));
  return out;
}

async function libseccompVersion() {
  if (process.env.LIBSECCOMP_VERSION) return process.env.LIBSECCOMP_VERSION;
  try {
    const { stdout } = await run('dpkg-query', ['-W', '-f=${Version}', 'libseccomp2']);
    return stdout.trim();
  } catch {
    throw new Error('cannot tell the libseccomp version (no dpkg-query); set LIBSECCOMP_VERSION');
  }
}

async function main() {
  const here = dirname(fileURLToPath(import.meta.url));
  const outDir = resolve(process.argv[2] ?? join(here, '..', 'profiles', 'data', 'syscalls'));
  const version = await libseccompVersion();

  const names = new Set();
  for (const arch of Object.keys(ARCHES)) {
    const found = await mapPool(PROBE, (nr) => resolver(arch, nr));
    for (const name of found) if (name && name !== 'UNKNOWN') names.add(name);
  }
  const sortedNames = [...names].sort();
  if (sortedNames.length < 300) throw new Error(`only ${sortedNames.length} syscall names found; is ${RESOLVER} working?`);

  await mkdir(outDir, { recursive: true });
  for (const [arch, scmp] of Object.entries(ARCHES)) {
    const numbers = await mapPool(sortedNames, async (name) => Number(await resolver(arch, name)));
    const entries = sortedNames
      .map((name, i) => [name, numbers[i]])
      .filter(([, nr]) => Number.isInteger(nr) && nr >= 0)
      .sort(([a, x], [b, y]) => x - y || (a < b ? -1 : 1));
    const seen = new Map();
    for (const [name, nr] of entries) {
      if (seen.has(nr)) throw new Error(`${arch}: ${name} and ${seen.get(nr)} both resolve to ${nr}`);
      seen.set(nr, name);
    }
    const table = { arch: scmp, libseccomp: version, syscalls: Object.fromEntries(entries) };
    await writeFile(join(outDir, `${arch}.json`), JSON.stringify(table, null, 1) + '\n');
    console.log(`${arch}: ${entries.length} syscalls`);
  }
}

main().catch((err) => {
  console.error(`gen-syscall-tables: ${err.message}`);
  process.exit(1);
});
