import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readOptional, readOptionalBytes } from './fs.js';
import { parseStatus } from './proc.js';

export interface KernelFacts {
  /** /proc/sys/kernel/osrelease, "" when unreadable. */
  release: string;
  /** uname machine, e.g. "x86_64". */
  machine: string;
  /** /proc/sys/kernel/seccomp/actions_avail split into words; undefined when the file is absent. */
  actionsAvail: string[] | undefined;
  actionsLogged: string[] | undefined;
  /** /proc/self/status has a `Seccomp:` field (the kernel has CONFIG_SECCOMP). */
  statusHasSeccomp: boolean;
  /** CONFIG_SECCOMP* and CONFIG_AUDIT* of the kernel config, when one is readable. */
  config: Record<string, string> | undefined;
  /** Where `config` came from (host path), "" when none. */
  configSource: string;
  /** /proc/cmdline. */
  cmdline: string;
  /** CapEff of the agent itself, hex; "" when unknown. */
  agentCapEff: string;
}

/** Keeps the `CONFIG_X=v` lines the checks care about from a kernel config. */
export function parseKernelConfig(text: string): Record<string, string> {
  const config: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^(CONFIG_(?:SECCOMP|AUDIT)\w*)=(.*)$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) config[m[1]] = m[2];
  }
  return config;
}

function words(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.trim().split(/\s+/).filter(Boolean);
}

async function readKernelConfig(hostRoot: string, release: string): Promise<{ config?: Record<string, string>; source: string }> {
  const gz = await readOptionalBytes(path.join(hostRoot, 'proc/config.gz'));
  if (gz) {
    try {
      return { config: parseKernelConfig(gunzipSync(gz).toString('utf8')), source: '/proc/config.gz' };
    } catch {
      // A damaged config.gz: fall through to /boot.
    }
  }
  if (release) {
    const source = `/boot/config-${release}`;
    const text = await readOptional(path.join(hostRoot, source));
    if (text !== undefined) return { config: parseKernelConfig(text), source };
  }
  return { source: '' };
}

export async function readKernel(hostRoot: string): Promise<KernelFacts> {
  const at = (p: string) => path.join(hostRoot, p);
  const [release, arch, avail, logged, selfStatus, cmdline] = await Promise.all([
    readOptional(at('proc/sys/kernel/osrelease')),
    readOptional(at('proc/sys/kernel/arch')),
    readOptional(at('proc/sys/kernel/seccomp/actions_avail')),
    readOptional(at('proc/sys/kernel/seccomp/actions_logged')),
    readOptional(at('proc/self/status')),
    readOptional(at('proc/cmdline')),
  ]);
  const status = parseStatus(selfStatus ?? '');
  const rel = release?.trim() ?? '';
  const { config, source } = await readKernelConfig(hostRoot, rel);
  return {
    release: rel,
    // The agent shares the node's kernel, so its own uname is the node's when the sysctl is missing.
    machine: arch?.trim() || os.machine(),
    actionsAvail: words(avail),
    actionsLogged: words(logged),
    statusHasSeccomp: status.has('Seccomp'),
    config,
    configSource: source,
    cmdline: cmdline?.trim() ?? '',
    agentCapEff: status.get('CapEff') ?? '',
  };
}
