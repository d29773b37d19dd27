import type { KubeObject } from './store.js';

/**
 * Server-side apply as far as the tests need it: each apply manager owns the fields of its last
 * applied config (kept in metadata.managedFields, FieldsV1-shaped); applying again removes the fields
 * it no longer sets that no other apply manager owns (and the maps they leave empty), then merges the
 * config in, list items of the associative lists matched by key. Not modelled: conflicts (every apply
 * acts as force=true) and ownership by non-apply writes.
 */

/** Associative lists of pod specs and templates, and their key field. */
const LIST_KEYS: Readonly<Record<string, string>> = { containers: 'name', initContainers: 'name', ephemeralContainers: 'name', env: 'name', volumes: 'name' };

type Segment = string;
type Path = Segment[];
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const itemKey = (field: string, item: unknown): Segment | undefined => {
  const key = LIST_KEYS[field];
  return key && isObj(item) && item[key] !== undefined ? `k:${JSON.stringify({ [key]: item[key] })}` : undefined;
};

/** Every field and map the config sets, as paths; identity (apiVersion, kind, name, namespace, list keys) excluded. */
function fieldPaths(config: KubeObject): Path[] {
  const out: Path[] = [];
  const identity = (at: Path, k: string): boolean => {
    if (at.length === 0) return k === 'apiVersion' || k === 'kind';
    if (at.length === 1 && at[0] === 'f:metadata') return k === 'name' || k === 'namespace' || k === 'managedFields';
    const last = at.at(-1)!;
    return last.startsWith('k:') && k in (JSON.parse(last.slice(2)) as Obj);
  };
  const walk = (value: Obj, at: Path): number => {
    const before = out.length;
    for (const [k, v] of Object.entries(value)) {
      if (identity(at, k)) continue;
      const p = [...at, `f:${k}`];
      if (Array.isArray(v) && LIST_KEYS[k] && v.every((item) => itemKey(k, item))) {
        for (const item of v) {
          const ip = [...p, itemKey(k, item)!];
          out.push(ip);
          walk(item as Obj, ip);
        }
      } else if (isObj(v) && Object.keys(v).length > 0) {
        const at = out.length;
        if (walk(v, p) > 0) out.splice(at, 0, p);
      } else out.push(p);
    }
    return out.length - before;
  };
  walk(config as unknown as Obj, []);
  return out;
}

const encode = (p: Path) => JSON.stringify(p);

function toFieldsV1(paths: Path[]): Obj {
  const root: Obj = {};
  for (const p of paths) {
    let node = root;
    for (const seg of p) node = (node[seg] ??= {}) as Obj;
    node['.'] = {};
  }
  return root;
}

function fromFieldsV1(tree: unknown, at: Path = [], out: Path[] = []): Path[] {
  if (!isObj(tree)) return out;
  for (const [seg, sub] of Object.entries(tree)) {
    if (seg === '.') continue;
    const p = [...at, seg];
    if (isObj(sub) && ('.' in sub || Object.keys(sub).length === 0)) out.push(p);
    fromFieldsV1(sub, p, out);
  }
  return out;
}

interface ManagedEntry {
  manager: string;
  operation: string;
  fieldsType?: string;
  fieldsV1?: unknown;
}

function owned(obj: KubeObject): ManagedEntry[] {
  const m = obj.metadata['managedFields'];
  return Array.isArray(m) ? (m as ManagedEntry[]) : [];
}

/** The value at a path, with its parent container, or undefined when absent. */
function locate(root: Obj, path: Path): { parent: Obj | unknown[]; at: string | number } | undefined {
  let node: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    let next: { parent: Obj | unknown[]; at: string | number } | undefined;
    if (seg.startsWith('f:') && isObj(node)) next = { parent: node, at: seg.slice(2) };
    else if (seg.startsWith('k:') && Array.isArray(node)) {
      const [[k, v]] = Object.entries(JSON.parse(seg.slice(2)) as Obj) as [[string, unknown]];
      const idx = node.findIndex((item) => isObj(item) && item[k] === v);
      if (idx >= 0) next = { parent: node, at: idx };
    }
    if (!next) return undefined;
    if (i === path.length - 1) return next;
    node = (next.parent as Record<string | number, unknown>)[next.at];
  }
  return undefined;
}

function remove(root: Obj, path: Path): void {
  const found = locate(root, path);
  if (!found) return;
  const { parent, at } = found;
  const value = (parent as Record<string | number, unknown>)[at];
  const last = path.at(-1)!;
  if (last.startsWith('k:')) {
    // A list item goes only when nothing but its key is left.
    const keyField = Object.keys(JSON.parse(last.slice(2)) as Obj)[0]!;
    if (isObj(value) && Object.keys(value).every((k) => k === keyField)) (parent as unknown[]).splice(at as number, 1);
    return;
  }
  if (isObj(value) && Object.keys(value).length > 0) return; // another writer's fields live in it
  delete (parent as Obj)[at as string];
}

function merge(target: Obj, config: Obj): Obj {
  for (const [k, v] of Object.entries(config)) {
    const cur = target[k];
    if (Array.isArray(v) && LIST_KEYS[k] && Array.isArray(cur)) {
      const items = [...cur];
      for (const item of v) {
        const key = LIST_KEYS[k]!;
        const idx = items.findIndex((x) => isObj(x) && isObj(item) && x[key] === item[key]);
        if (idx >= 0 && isObj(items[idx]) && isObj(item)) items[idx] = merge(structuredClone(items[idx] as Obj), item);
        else items.push(structuredClone(item));
      }
      target[k] = items;
    } else if (isObj(v) && isObj(cur)) target[k] = merge(cur, v);
    else target[k] = structuredClone(v);
  }
  return target;
}

/** The object after `manager` applies `config` to `current` (undefined: created by the apply). */
export function serverSideApply(current: KubeObject | undefined, config: KubeObject, manager: string): KubeObject {
  const next = structuredClone(current ?? { ...config, metadata: { ...config.metadata } }) as KubeObject;
  const entries = owned(next);
  const mine = new Set(fromFieldsV1(entries.find((e) => e.manager === manager && e.operation === 'Apply')?.fieldsV1).map(encode));
  const others = new Set(entries.filter((e) => e.manager !== manager).flatMap((e) => fromFieldsV1(e.fieldsV1).map(encode)));
  const now = fieldPaths(config);
  const nowSet = new Set(now.map(encode));
  const dropped = [...mine].filter((p) => !nowSet.has(p) && !others.has(p)).map((p) => JSON.parse(p) as Path);
  // Deepest first, so that a map is looked at after the fields in it are gone.
  dropped.sort((a, b) => b.length - a.length);
  if (current) {
    for (const p of dropped) remove(next as unknown as Obj, p);
    const { metadata, ...rest } = config;
    const { name: _n, namespace: _ns, managedFields: _mf, ...meta } = metadata;
    merge(next as unknown as Obj, { ...rest, metadata: meta });
  }
  const kept = entries.filter((e) => !(e.manager === manager && e.operation === 'Apply'));
  const entry: ManagedEntry = { manager, operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(now) };
  next.metadata['managedFields'] = now.length ? [...kept, entry] : kept;
  return next;
}
