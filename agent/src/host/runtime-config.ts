/**
 * Which OCI runtime containerd or CRI-O is configured to start containers with, from their TOML
 * configs. Only tables and `key = "string"` pairs are needed, so they are scanned, not fully parsed.
 */

export type OciRuntimeName = 'runc' | 'crun';

export interface ConfiguredOci {
  name: OciRuntimeName;
  /** Host path of the binary; "" when the config names the runtime but not its path. */
  path: string;
  /** The config file that said so (host path). */
  source: string;
}

export interface ConfigFile {
  path: string;
  text: string;
}

/** `[table]` → its `key = "value"` string pairs. Table names are kept as written. */
export function tomlStrings(text: string): Map<string, Map<string, string>> {
  const tables = new Map<string, Map<string, string>>([['', new Map()]]);
  let current = tables.get('') as Map<string, string>;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const header = /^\[\[?\s*(.+?)\s*\]\]?\s*(?:#.*)?$/.exec(line);
    if (header?.[1]) {
      current = tables.get(header[1]) ?? new Map();
      tables.set(header[1], current);
      continue;
    }
    const pair = /^([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')/.exec(line);
    if (pair?.[1]) current.set(pair[1], pair[2] ?? pair[3] ?? '');
  }
  return tables;
}

export function ociName(file: string): OciRuntimeName | undefined {
  const base = file.split('/').pop();
  return base === 'runc' || base === 'crun' ? base : undefined;
}

/** The last segment of a dotted table name, unquoted: `…runtimes."runc".options` → ["runtimes", "runc", "options"]. */
function segments(table: string): string[] {
  return [...table.matchAll(/"([^"]*)"|'([^']*)'|([^.\s]+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

/** The runtime's table settings, for a runtime named `name` in `runtimes.<name>` (or `.options`). */
function runtimeSettings(tables: Map<string, Map<string, string>>, name: string): Map<string, string> {
  const merged = new Map<string, string>();
  for (const [table, pairs] of tables) {
    const segs = segments(table);
    const i = segs.lastIndexOf('runtimes');
    if (i < 0 || segs[i + 1] !== name) continue;
    if (segs.length === i + 2 || (segs.length === i + 3 && segs[i + 2] === 'options')) {
      for (const [k, v] of pairs) merged.set(k, v);
    }
  }
  return merged;
}

/**
 * containerd: `default_runtime_name` and that runtime's `BinaryName`; CRI-O: `default_runtime`
 * and that runtime's `runtime_path`. The files are merged in order, later ones (CRI-O drop-ins)
 * overriding earlier ones key by key, as the runtimes merge them.
 */
export function configuredOciRuntime(files: readonly ConfigFile[]): ConfiguredOci | undefined {
  const merged = new Map<string, Map<string, string>>();
  let runtime: string | undefined;
  let source = '';
  for (const file of files) {
    for (const [table, pairs] of tomlStrings(file.text)) {
      const into = merged.get(table) ?? new Map<string, string>();
      for (const [k, v] of pairs) into.set(k, v);
      merged.set(table, into);
      const named = pairs.get('default_runtime_name') ?? pairs.get('default_runtime');
      if (named !== undefined) {
        runtime = named;
        source = file.path;
      }
    }
  }
  if (runtime === undefined) return undefined;
  const settings = runtimeSettings(merged, runtime);
  const binary = settings.get('BinaryName') || settings.get('runtime_path') || '';
  const name = ociName(binary) ?? ociName(runtime);
  return name ? { name, path: binary.startsWith('/') ? binary : '', source } : undefined;
}
