import { stat } from 'node:fs/promises';
import path from 'node:path';
import { inRoot, readOptional, readOptionalBytes, readdirOptional } from './fs.js';
import { programName, type HostProcess } from './proc.js';
import type { CommandRunner } from './runner.js';
import { trustedExecutable } from './trusted-exec.js';
import { configuredOciRuntime, ociName, type ConfiguredOci, type OciRuntimeName } from './runtime-config.js';
import { versionFromBinary, versionFromOutput } from './version.js';

export type { OciRuntimeName } from './runtime-config.js';
export type ContainerRuntimeName = 'containerd' | 'cri-o' | 'docker';

export interface ContainerRuntimeFacts {
  name: ContainerRuntimeName;
  pid: number;
  /** Host path of the binary, "" when unknown. */
  exe: string;
  /** "" when it cannot be known without executing the binary. */
  version: string;
}

export interface OciRuntimeFacts {
  name: OciRuntimeName;
  /** Host path of the binary. */
  path: string;
  version: string;
  /** How the version was learnt: running `--version` (local mode), scanning the binary, or not at all. */
  versionSource: 'command' | 'binary' | '';
}

export interface RuntimeFacts {
  /** Every container runtime daemon running, in pid order. */
  containerRuntimes: ContainerRuntimeFacts[];
  /** Every runc/crun binary found, the configured one first. */
  ociRuntimes: OciRuntimeFacts[];
  /** The OCI runtime the container runtime is configured to use, when its config says so. */
  configuredOci: ConfiguredOci | undefined;
}

const DAEMONS: Record<string, ContainerRuntimeName> = { containerd: 'containerd', crio: 'cri-o', dockerd: 'docker' };

export const OCI_SEARCH_DIRS = [
  '/usr/bin',
  '/usr/local/bin',
  '/usr/sbin',
  '/usr/local/sbin',
  '/bin',
  '/sbin',
  // k3s and microk8s ship their own runc.
  '/var/lib/rancher/k3s/data/current/bin',
  '/snap/microk8s/current/bin',
] as const;

const MAX_BINARY_BYTES = 64 * 1024 * 1024;

async function isFile(hostRoot: string, hostPath: string): Promise<boolean> {
  try {
    return (await stat(inRoot(hostRoot, hostPath))).isFile();
  } catch {
    return false;
  }
}

async function readRuntimeConfigs(hostRoot: string): Promise<{ path: string; text: string }[]> {
  const crioDropIns = (await readdirOptional(inRoot(hostRoot, '/etc/crio/crio.conf.d')))
    .filter((f) => f.endsWith('.conf'))
    .sort()
    .map((f) => `/etc/crio/crio.conf.d/${f}`);
  const candidates = ['/etc/containerd/config.toml', '/var/lib/rancher/k3s/agent/etc/containerd/config.toml', '/etc/crio/crio.conf', ...crioDropIns];
  const files = await Promise.all(candidates.map(async (p) => ({ path: p, text: await readOptional(inRoot(hostRoot, p)) })));
  return files.filter((f): f is { path: string; text: string } => f.text !== undefined);
}

/** `FILE --version`, only for a binary no one but root could have put there (see trustedExecutable). */
async function runVersion(run: CommandRunner | undefined, file: string): Promise<string> {
  if (!run || !file) return '';
  const trusted = await trustedExecutable(file);
  if (!trusted) return '';
  try {
    return versionFromOutput(await run(trusted, ['--version']));
  } catch {
    return '';
  }
}

async function ociVersion(
  hostRoot: string,
  run: CommandRunner | undefined,
  name: OciRuntimeName,
  hostPath: string,
): Promise<Pick<OciRuntimeFacts, 'version' | 'versionSource'>> {
  const fromBinary = await binaryVersion(inRoot(hostRoot, hostPath), name);
  if (fromBinary) return { version: fromBinary, versionSource: 'binary' };
  const fromCommand = await runVersion(run, hostPath);
  return { version: fromCommand, versionSource: fromCommand ? 'command' : '' };
}

async function binaryVersion(file: string, name: OciRuntimeName): Promise<string> {
  try {
    if ((await stat(file)).size > MAX_BINARY_BYTES) return '';
  } catch {
    return '';
  }
  const bytes = await readOptionalBytes(file);
  return bytes ? versionFromBinary(bytes, name) : '';
}

/**
 * Container runtime daemons from the process list and OCI runtime binaries from the usual dirs.
 * Versions are read from the binaries where they can be; `run` executes a root-owned binary in a
 * system dir when they cannot. Pass it only when the host root is "/".
 */
export async function readRuntimes(hostRoot: string, procs: readonly HostProcess[], run: CommandRunner | undefined): Promise<RuntimeFacts> {
  const containerRuntimes: ContainerRuntimeFacts[] = [];
  for (const proc of procs) {
    const name = DAEMONS[programName(proc)] ?? DAEMONS[proc.comm];
    if (!name || containerRuntimes.some((r) => r.name === name)) continue;
    const argv0 = proc.argv[0] ?? '';
    const exe = proc.exe.replace(/ \(deleted\)$/, '') || (path.posix.isAbsolute(argv0) ? argv0 : '');
    containerRuntimes.push({ name, pid: proc.pid, exe, version: await runVersion(run, exe) });
  }

  const configuredOci = configuredOciRuntime(await readRuntimeConfigs(hostRoot));
  const paths: string[] = [];
  if (configuredOci?.path) paths.push(configuredOci.path);
  for (const dir of OCI_SEARCH_DIRS) for (const bin of ['runc', 'crun']) paths.push(`${dir}/${bin}`);
  const ociRuntimes: OciRuntimeFacts[] = [];
  for (const p of paths) {
    const name = ociName(p);
    if (!name || ociRuntimes.some((r) => r.name === name) || !(await isFile(hostRoot, p))) continue;
    ociRuntimes.push({ name, path: p, ...(await ociVersion(hostRoot, run, name, p)) });
  }
  if (configuredOci) {
    ociRuntimes.sort((a, b) => Number(b.name === configuredOci.name) - Number(a.name === configuredOci.name));
  }
  return { containerRuntimes, ociRuntimes, configuredOci };
}
