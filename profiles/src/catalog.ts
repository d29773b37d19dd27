// The shipped profiles (profiles/catalog/*.json: nothing else lives there, so `push` and `lint`
// of that directory see only profiles). Their names and descriptions live in one place, CATALOG.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProfileError } from './issues.js';
import { parseProfile } from './parse.js';
import type { SeccompProfile } from './model.js';

export interface CatalogEntry {
  name: string;
  /** Absolute path of the profile file. */
  file: string;
  description: string;
  /** The file's exact text (what push sends when the profile is used as is). */
  text: string;
  profile: SeccompProfile;
}

export interface CatalogIndexEntry {
  name: string;
  /** Relative to catalogDir(). */
  file: string;
  description: string;
}

/** The catalog's names and descriptions, in the order they are listed; the README table mirrors them. */
export const CATALOG: readonly CatalogIndexEntry[] = [
  {
    name: 'runtime-default',
    file: 'runtime-default.json',
    description: 'The containerd/Docker default as a plain OCI profile: common container syscalls allowed, everything else EPERM (denials silent).',
  },
  {
    name: 'nodejs-web',
    file: 'nodejs-web.json',
    description: 'Tight allow list for a Node.js HTTP service (x86_64/arm64): epoll networking, threads, files; no io_uring, no namespaces; denials logged.',
  },
  {
    name: 'debug-shell',
    file: 'debug-shell.json',
    description:
      'Interactive shell or debug container: runtime-default plus ptrace, personality, chroot, kcmp, process_vm_readv/writev, vhangup (strace, gdb).',
  },
  {
    name: 'audit-all',
    file: 'audit-all.json',
    description: 'Blocks nothing and logs every syscall (default SCMP_ACT_LOG): record what a workload needs, then write a tight profile.',
  },
  {
    name: 'deny-mkdir',
    file: 'deny-mkdir.json',
    description: 'Allows everything except mkdir/mkdirat (EPERM), with SECCOMP_FILTER_FLAG_LOG so each denial reaches `watch`: a demo and smoke test.',
  },
  {
    name: 'seccomp-agent',
    file: 'seccomp-agent.json',
    description:
      'The kubectl-seccomp agent itself, recorded from its own run (scripts/record-agent-profile.mjs): what it calls allowed, everything else EPERM, denials logged. Used by manifests/overlays/self-profile.',
  },
];

/** profiles/catalog, found from this module's location (src/ or dist/ alike). */
export function catalogDir(): string {
  return fileURLToPath(new URL('../catalog/', import.meta.url));
}

/** Every catalog profile, parsed; throws ProfileError naming the file when one does not parse. */
export async function loadCatalog(): Promise<CatalogEntry[]> {
  const dir = catalogDir();
  return Promise.all(
    CATALOG.map(async (e) => {
      const file = join(dir, e.file);
      const text = await readFile(file, 'utf8');
      const parsed = parseProfile(text, file);
      if (!parsed.ok) throw new ProfileError(`catalog profile ${e.name} does not parse`, parsed.errors);
      return { name: e.name, file, description: e.description, text, profile: parsed.profile };
    }),
  );
}
