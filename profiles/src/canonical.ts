// The byte forms of a profile: the canonical form its digest is taken over, and the pretty form the
// CLI pushes. Both keep only model fields in a fixed order, so equal profiles give equal bytes.
import type { ArchMapEntry, RuleFilter, SeccompProfile, SyscallArg, SyscallRule } from './model.js';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Copies `keys` of `from` in this order, skipping absent ones. */
function pick<T extends object>(from: T, keys: readonly (keyof T & string)[], map: Partial<Record<keyof T, (v: never) => Json>> = {}): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const key of keys) {
    const value = from[key];
    if (value === undefined) continue;
    const f = map[key] as ((v: unknown) => Json) | undefined;
    out[key] = f ? f(value) : (value as Json);
  }
  return out;
}

const argJson = (a: SyscallArg) => pick(a, ['index', 'value', 'valueTwo', 'op']);
const filterJson = (f: RuleFilter) => pick(f, ['caps', 'arches', 'minKernel']);
const archJson = (a: ArchMapEntry) => pick(a, ['architecture', 'subArchitectures']);
const ruleJson = (r: SyscallRule) =>
  pick(r, ['names', 'name', 'action', 'errnoRet', 'args', 'comment', 'includes', 'excludes'], {
    args: (args: SyscallArg[]) => args.map(argJson),
    includes: filterJson,
    excludes: filterJson,
  });

/** The profile as plain JSON with keys in serialization order (defaultAction first). */
function orderedJson(p: SeccompProfile): { [key: string]: Json } {
  return pick(p, ['defaultAction', 'defaultErrnoRet', 'architectures', 'archMap', 'flags', 'listenerPath', 'listenerMetadata', 'syscalls'], {
    archMap: (m: ArchMapEntry[]) => m.map(archJson),
    syscalls: (s: SyscallRule[]) => s.map(ruleJson),
  });
}

function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortKeys(v[k] as Json)]),
  );
}

/** Sorted keys, no whitespace: the form the digest is taken over. Array order is kept (it can matter). */
export function canonicalize(profile: SeccompProfile): string {
  return JSON.stringify(sortKeys(orderedJson(profile)));
}

// node:crypto is fetched on the first digest, not imported: this module is re-exported by the index that
// `lint` and every command import, and an imported node:crypto loads at every start (~8 ms).
export function sha256Hex(bytes: string | Uint8Array): string {
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(bytes).digest('hex');
}

/** Identity of a profile's content: unchanged by key order and whitespace. */
export function profileDigest(profile: SeccompProfile): string {
  return sha256Hex(canonicalize(profile));
}

/** The exact file the CLI pushes: model key order, 2-space indent, trailing newline. */
export function serializeProfile(profile: SeccompProfile): string {
  return JSON.stringify(orderedJson(profile), null, 2) + '\n';
}
