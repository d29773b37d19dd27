import type { KubeObject } from './store.js';

/** A request the API server answers 400. */
export class BadRequestError extends Error {}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export interface JsonPatchOp {
  op: 'add' | 'replace' | 'remove' | 'test';
  path: string;
  value?: unknown;
}

/** RFC 6902, the operations clients send to objects (add, replace, remove, test). */
export function jsonPatch(target: KubeObject, ops: JsonPatchOp[]): KubeObject {
  const doc = structuredClone(target) as unknown as Record<string, unknown>;
  for (const op of ops) {
    const keys = op.path
      .split('/')
      .slice(1)
      .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop();
    if (last === undefined) throw new BadRequestError('json patch on the whole document');
    let node: Record<string, unknown> = doc;
    for (const k of keys) {
      if (node[k] === undefined && op.op === 'add') node[k] = {};
      node = node[k] as Record<string, unknown>;
      if (!node || typeof node !== 'object') throw new BadRequestError(`json patch path ${op.path} does not exist`);
    }
    if (op.op === 'test') {
      // The API server answers a failed test with 422 Invalid; a 400 is what clients treat alike.
      if (JSON.stringify(node[last]) !== JSON.stringify(op.value)) throw new BadRequestError(`json patch test failed at ${op.path}`);
    } else if (op.op === 'remove') {
      if (Array.isArray(node)) node.splice(Number(last), 1);
      else delete node[last];
    } else if (Array.isArray(node) && op.op === 'add') {
      node.splice(last === '-' ? node.length : Number(last), 0, op.value);
    } else node[last] = op.value;
  }
  return doc as unknown as KubeObject;
}
