/**
 * Kubelet command lines, as Go's pflag reads them: `--name=value` or `--name value` (bool flags
 * only `--name` / `--name=value`), `_` and `-` interchangeable in names, the last occurrence wins.
 */

/** Kubelet flags that are booleans: a bare `--name` means true and never takes the next word. */
const BOOL_FLAGS = new Set(['seccomp-default']);

export function normalizeFlagName(name: string): string {
  return name.replace(/_/g, '-');
}

export function parseFlags(args: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const m = /^--?([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!m || arg === '--') continue;
    const name = normalizeFlagName(m[1] ?? '');
    if (m[2] !== undefined) {
      flags.set(name, m[2]);
      continue;
    }
    const next = args[i + 1];
    if (!BOOL_FLAGS.has(name) && next !== undefined && !next.startsWith('-')) {
      flags.set(name, next);
      i++;
    } else {
      flags.set(name, 'true');
    }
  }
  return flags;
}

/** pflag's bool syntax: true/false, 1/0, t/f in any case; undefined for anything else. */
export function parseBool(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (['true', 't', '1'].includes(v)) return true;
  if (['false', 'f', '0'].includes(v)) return false;
  return undefined;
}

/**
 * k3s embeds the kubelet; its flags come as `--kubelet-arg NAME=VALUE` (repeatable, also
 * `--kubelet-arg=NAME=VALUE`). Returns them as kubelet flags, `--NAME=VALUE`.
 */
export function k3sKubeletArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    let value: string | undefined;
    if (arg.startsWith('--kubelet-arg=')) value = arg.slice('--kubelet-arg='.length);
    else if (arg === '--kubelet-arg') value = args[++i];
    if (value !== undefined && value !== '') out.push(value.startsWith('-') ? value : `--${value}`);
  }
  return out;
}

/** `kubelet-arg:` of a k3s config.yaml (a list, or one string), as kubelet flags. */
export function k3sConfigKubeletArgs(config: unknown): string[] {
  if (!config || typeof config !== 'object') return [];
  const raw = (config as Record<string, unknown>)['kubelet-arg'];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((v): v is string => typeof v === 'string' && v !== '').map((v) => (v.startsWith('-') ? v : `--${v}`));
}

const SNAP_VARS: Record<string, string> = {
  SNAP: '/snap/microk8s/current',
  SNAP_DATA: '/var/snap/microk8s/current',
  SNAP_COMMON: '/var/snap/microk8s/common',
};

/**
 * A microk8s args file (`--kubelet-args-file` of kubelite): one flag per line, `#` comments,
 * `${SNAP*}` variables as the snap expands them.
 */
export function parseArgsFile(text: string): string[] {
  const args: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const expanded = line.replace(/\$\{?(SNAP(?:_DATA|_COMMON)?)\}?/g, (_m, v: string) => SNAP_VARS[v] ?? '');
    const m = /^(\S+?)(?:[= ]\s*(.*))?$/.exec(expanded);
    if (!m) continue;
    const value = m[2]?.replace(/^"(.*)"$/, '$1');
    args.push(value === undefined ? (m[1] ?? '') : `${m[1] ?? ''}=${value}`);
  }
  return args;
}

export const DEFAULT_KUBELET_ROOT = '/var/lib/kubelet';

/** The kubelet's root dir (host path) from its flags. */
export function kubeletRootDir(flags: Readonly<Record<string, string>>): string {
  return (flags['root-dir'] || DEFAULT_KUBELET_ROOT).replace(/(.)\/+$/, '$1');
}
