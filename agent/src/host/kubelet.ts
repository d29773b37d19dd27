import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { inRoot, readOptional, readdirOptional, readlinkOptional } from './fs.js';
import { parseCgroup } from './cgroup.js';
import { k3sConfigKubeletArgs, k3sKubeletArgs, parseArgsFile, parseFlags } from './kubelet-flags.js';
import { programName, type HostProcess } from './proc.js';

/** How the kubelet runs: its own binary, inside k3s, or inside microk8s's kubelite. */
export type KubeletKind = 'kubelet' | 'k3s' | 'kubelite';

/** One kubelet config file (--config, or a drop-in of --config-dir), read and parsed. */
export interface KubeletConfigFile {
  /** Host path. */
  path: string;
  /** Why it could not be used; "" when it was read and parsed. */
  error: string;
  seccompDefault: boolean | undefined;
  containerRuntimeEndpoint: string | undefined;
}

export interface KubeletFacts {
  pid: number;
  kind: KubeletKind;
  /** The effective kubelet flags (name without dashes → value), last occurrence wins. */
  flags: Record<string, string>;
  /** --config first, then --config-dir drop-ins in the order the kubelet applies them. */
  configs: KubeletConfigFile[];
}

function kubeletKind(proc: HostProcess): KubeletKind | undefined {
  const name = programName(proc);
  if (name === 'kubelet') return 'kubelet';
  if (name === 'kubelite') return 'kubelite';
  const sub = proc.argv[1];
  if (name === 'k3s' && (sub === 'server' || sub === 'agent')) return 'k3s';
  if (proc.comm === 'k3s-server' || proc.comm === 'k3s-agent') return 'k3s';
  return undefined;
}

/** The systemd units kubelets run in (kubeadm, k3s, k0s, rke2, microk8s): their cgroup's last segment. */
const KUBELET_UNIT = /\/(?:kubelet|k3s|k3s-agent|k0sworker|k0scontroller|rke2-server|rke2-agent|snap\.microk8s\.daemon-kubelite)\.service$/;

export interface KubeletSearch {
  found: { proc: HostProcess; kind: KubeletKind } | undefined;
  /** Several processes could be the kubelet and nothing told them apart: none was chosen. */
  ambiguous: number[];
  /** Processes named like a kubelet that cannot be it, and why. */
  ignored: { pid: number; reason: string }[];
}

function disqualified(proc: HostProcess): string {
  if (proc.uid !== 0) return proc.uid === undefined ? 'owner unknown' : `owned by uid ${proc.uid}, not root`;
  if (parseCgroup(proc.cgroup) || /\/kubepods[./]/.test(proc.cgroup)) return 'runs in a container';
  return '';
}

/**
 * The kubelet is a root process in no container, preferably in a kubelet systemd unit; then a
 * standalone kubelet over a distribution that embeds it. A tie is reported, never settled by pid.
 */
export function findKubeletProcess(procs: readonly HostProcess[]): KubeletSearch {
  const ignored: KubeletSearch['ignored'] = [];
  const eligible: { proc: HostProcess; kind: KubeletKind }[] = [];
  for (const proc of procs) {
    const kind = kubeletKind(proc);
    if (!kind) continue;
    const reason = disqualified(proc);
    if (reason) ignored.push({ pid: proc.pid, reason });
    else eligible.push({ proc, kind });
  }
  const inUnit = eligible.filter((c) => inKubeletUnit(c.proc));
  const pool = inUnit.length > 0 ? inUnit : eligible;
  const standalone = pool.filter((c) => c.kind === 'kubelet');
  const best = standalone.length > 0 ? standalone : pool;
  if (best.length > 1) return { found: undefined, ambiguous: best.map((c) => c.proc.pid), ignored };
  return { found: best[0], ambiguous: [], ignored };
}

function inKubeletUnit(proc: HostProcess): boolean {
  return proc.cgroup.split('\n').some((line) => KUBELET_UNIT.test(line));
}

async function readYamlFile(file: string): Promise<{ doc?: unknown; error: string }> {
  const text = await readOptional(file);
  if (text === undefined) return { error: 'missing or unreadable' };
  try {
    return { doc: parseYaml(text) as unknown, error: '' };
  } catch (err) {
    return { error: `not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  }
}

async function readConfigFile(hostRoot: string, hostPath: string): Promise<KubeletConfigFile> {
  const result: KubeletConfigFile = { path: hostPath, error: '', seccompDefault: undefined, containerRuntimeEndpoint: undefined };
  const { doc, error } = await readYamlFile(inRoot(hostRoot, hostPath));
  if (error) return { ...result, error };
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { ...result, error: 'not a KubeletConfiguration object' };
  const config = doc as Record<string, unknown>;
  const sd = config['seccompDefault'];
  if (sd !== undefined && typeof sd !== 'boolean') {
    return { ...result, error: `seccompDefault must be true or false, found ${JSON.stringify(sd)}` };
  }
  const endpoint = config['containerRuntimeEndpoint'];
  return {
    ...result,
    seccompDefault: sd,
    containerRuntimeEndpoint: typeof endpoint === 'string' ? endpoint : undefined,
  };
}

async function kubeletArgs(hostRoot: string, proc: HostProcess, kind: KubeletKind): Promise<string[]> {
  const args = proc.argv.slice(1);
  if (kind === 'kubelet') return args;
  if (kind === 'k3s') {
    const configFile = parseFlags(args).get('config') ?? '/etc/rancher/k3s/config.yaml';
    const dropInDir = `${configFile}.d`;
    const dropIns = (await readdirOptional(inRoot(hostRoot, dropInDir)))
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => path.posix.join(dropInDir, f));
    const fromConfig: string[] = [];
    for (const file of [configFile, ...dropIns]) {
      fromConfig.push(...k3sConfigKubeletArgs((await readYamlFile(inRoot(hostRoot, file))).doc));
    }
    return [...fromConfig, ...k3sKubeletArgs(args)];
  }
  const argsFile = parseFlags(args).get('kubelet-args-file');
  const text = argsFile ? await readOptional(inRoot(hostRoot, argsFile)) : undefined;
  return text === undefined ? [] : parseArgsFile(text);
}

/** Reads the kubelet's flags and config files; undefined when no kubelet process is visible. */
export async function readKubelet(hostRoot: string, procs: readonly HostProcess[]): Promise<KubeletFacts | undefined> {
  const { found } = findKubeletProcess(procs);
  if (!found) return undefined;
  const { proc, kind } = found;
  const flags = parseFlags(await kubeletArgs(hostRoot, proc, kind));
  const cwd = (await readlinkOptional(path.join(hostRoot, 'proc', String(proc.pid), 'cwd'))) ?? '/';
  const configs: KubeletConfigFile[] = [];
  const config = flags.get('config');
  if (config) configs.push(await readConfigFile(hostRoot, path.posix.resolve(cwd, config)));
  const configDir = flags.get('config-dir');
  if (configDir) {
    const dir = path.posix.resolve(cwd, configDir);
    const dropIns = (await readdirOptional(inRoot(hostRoot, dir))).filter((f) => f.endsWith('.conf')).sort();
    for (const f of dropIns) configs.push(await readConfigFile(hostRoot, path.posix.join(dir, f)));
  }
  return { pid: proc.pid, kind, flags: Object.fromEntries(flags), configs };
}
