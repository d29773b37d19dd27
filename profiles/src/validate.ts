// Validation of a parsed JSON tree against the profile model, collecting every problem with its
// JSON pointer and line:column. Field rules follow the OCI runtime spec (LinuxSeccomp) plus the
// Docker-format extensions moby reads (archMap, name, comment, includes/excludes).
import { didYouMean } from './did-you-mean.js';
import type { JsonNode, LineIndex } from './json-text.js';
import { jsonPointer } from './issues.js';
import { isDockerArchName } from './docker-arches.js';
import { parseMinKernel } from './kernel-release.js';
import {
  ACTIONS,
  FILTER_FLAGS,
  OPERATORS,
  SCMP_ARCHES,
  type Action,
  type ArchMapEntry,
  type ProfileIssue,
  type RuleFilter,
  type SeccompProfile,
  type SyscallArg,
  type SyscallRule,
} from './model.js';

type Segments = readonly (string | number)[];

interface Ctx {
  source: string;
  text: string;
  lines: LineIndex;
  errors: ProfileIssue[];
}

function report(ctx: Ctx, node: JsonNode, at: Segments, code: string, message: string): void {
  ctx.errors.push({ severity: 'error', code, source: ctx.source, path: jsonPointer(at), ...ctx.lines.position(node.offset), message });
}

const KIND: Record<JsonNode['type'], string> = {
  object: 'an object',
  array: 'an array',
  property: 'a property',
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  null: 'null',
};

function wrongType(ctx: Ctx, node: JsonNode, at: Segments, expected: string): undefined {
  report(ctx, node, at, 'wrong-type', `expected ${expected}, got ${KIND[node.type]}`);
  return undefined;
}

type Reader<T> = (ctx: Ctx, node: JsonNode, at: Segments) => T | undefined;

function readString(ctx: Ctx, node: JsonNode, at: Segments): string | undefined {
  return node.type === 'string' ? (node.value as string) : wrongType(ctx, node, at, 'a string');
}

function readName(ctx: Ctx, node: JsonNode, at: Segments): string | undefined {
  const s = readString(ctx, node, at);
  if (s !== undefined && s.trim() === '') {
    report(ctx, node, at, 'empty-name', 'syscall name is empty');
    return undefined;
  }
  return s;
}

function oneOf<T extends string>(allowed: readonly T[], code: string, what: string): Reader<T> {
  return (ctx, node, at) => {
    const s = readString(ctx, node, at);
    if (s === undefined) return undefined;
    if ((allowed as readonly string[]).includes(s)) return s as T;
    // SCMP_ACT_ALOW -> SCMP_ACT_ALLOW; x86_64 -> SCMP_ARCH_X86_64 (the name without its prefix).
    const near = didYouMean(s, allowed) ?? allowed.find((a) => a.replace(/^SCMP_[A-Z]+_/, '').toLowerCase() === s.toLowerCase());
    const hint = near ? `; did you mean ${near}?` : `; one of ${allowed.join(', ')}`;
    report(ctx, node, at, code, `unknown ${what} ${JSON.stringify(s)}${hint}`);
    return undefined;
  };
}

const readAction = oneOf(ACTIONS, 'invalid-action', 'action');
const readOperator = oneOf(OPERATORS, 'invalid-operator', 'operator');
const readFlag = oneOf(FILTER_FLAGS, 'invalid-flag', 'filter flag');
const readScmpArch = oneOf(SCMP_ARCHES, 'invalid-arch', 'architecture');

function readDockerArch(ctx: Ctx, node: JsonNode, at: Segments): string | undefined {
  const s = readString(ctx, node, at);
  if (s === undefined || isDockerArchName(s)) return s;
  report(
    ctx,
    node,
    at,
    'invalid-arch',
    `unknown architecture ${JSON.stringify(s)}: includes/excludes use Docker names (amd64, arm64, x86, x32, arm, ppc64le, s390x, riscv64, ...)`,
  );
  return undefined;
}

/** A JSON number that is a non-negative integer a JS number holds exactly (OCI fields are unsigned). */
function readUint(ctx: Ctx, node: JsonNode, at: Segments): number | undefined {
  if (node.type !== 'number') return wrongType(ctx, node, at, 'a non-negative integer');
  // The raw token, not node.value: the parsed double has already lost digits beyond 2^53.
  const raw = ctx.text.slice(node.offset, node.offset + node.length);
  if (!/^-?\d+$/.test(raw)) {
    report(ctx, node, at, 'invalid-integer', `expected a whole number, got ${raw}`);
    return undefined;
  }
  if (raw.startsWith('-')) {
    report(ctx, node, at, 'invalid-integer', `expected a non-negative integer, got ${raw}`);
    return undefined;
  }
  if (BigInt(raw) > BigInt(Number.MAX_SAFE_INTEGER)) {
    report(ctx, node, at, 'unsafe-integer', `${raw} is larger than ${Number.MAX_SAFE_INTEGER} and cannot be represented exactly`);
    return undefined;
  }
  return Number(raw);
}

function readArgIndex(ctx: Ctx, node: JsonNode, at: Segments): number | undefined {
  const n = readUint(ctx, node, at);
  if (n === undefined || n <= 5) return n;
  report(ctx, node, at, 'arg-index-range', `argument index ${n} is out of range: syscalls have arguments 0..5`);
  return undefined;
}

function readMinKernel(ctx: Ctx, node: JsonNode, at: Segments): string | undefined {
  const s = readString(ctx, node, at);
  if (s === undefined || parseMinKernel(s)) return s;
  report(ctx, node, at, 'invalid-min-kernel', `minKernel ${JSON.stringify(s)} must be "<kernel>.<major>", e.g. "5.8"`);
  return undefined;
}

function arrayOf<T>(item: Reader<T>): Reader<T[]> {
  return (ctx, node, at) => {
    if (node.type !== 'array') return wrongType(ctx, node, at, 'an array');
    const out: T[] = [];
    let ok = true;
    (node.children ?? []).forEach((child, i) => {
      const v = item(ctx, child, [...at, i]);
      if (v === undefined) ok = false;
      else out.push(v);
    });
    return ok ? out : undefined;
  };
}

interface Field {
  read: Reader<unknown>;
  required?: boolean;
}

/**
 * Reads an object with a fixed set of fields. Unknown and duplicate keys are errors; an optional
 * field given as null counts as absent (Go's encoding/json, which runtimes use, treats it so).
 * Returns undefined when the node is not an object; otherwise the fields that were valid.
 */
function readObject(ctx: Ctx, node: JsonNode, at: Segments, fields: Record<string, Field>): Record<string, unknown> | undefined {
  if (node.type !== 'object') return wrongType(ctx, node, at, 'an object');
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const prop of node.children ?? []) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (!keyNode || !valueNode) continue;
    const key = keyNode.value as string;
    const here = [...at, key];
    if (seen.has(key)) {
      report(ctx, keyNode, here, 'duplicate-key', `duplicate key ${JSON.stringify(key)}: runtimes disagree on which one wins`);
      continue;
    }
    seen.add(key);
    const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (!field) {
      const near = didYouMean(key, Object.keys(fields));
      const hint = near ? `; did you mean ${JSON.stringify(near)}?` : `; allowed: ${Object.keys(fields).join(', ')}`;
      report(ctx, keyNode, here, 'unknown-field', `unknown field ${JSON.stringify(key)}${hint}`);
      continue;
    }
    if (valueNode.type === 'null' && !field.required) continue;
    const value = field.read(ctx, valueNode, here);
    if (value !== undefined) out[key] = value;
  }
  for (const [key, field] of Object.entries(fields)) {
    if (field.required && !seen.has(key)) report(ctx, node, at, 'missing-field', `missing required field ${JSON.stringify(key)}`);
  }
  return out;
}

const readArg: Reader<SyscallArg> = (ctx, node, at) => {
  const o = readObject(ctx, node, at, {
    index: { read: readArgIndex, required: true },
    value: { read: readUint, required: true },
    valueTwo: { read: readUint },
    op: { read: readOperator, required: true },
  });
  if (!o || o.index === undefined || o.value === undefined || o.op === undefined) return undefined;
  return o as unknown as SyscallArg;
};

const readFilter: Reader<RuleFilter> = (ctx, node, at) =>
  readObject(ctx, node, at, {
    caps: { read: arrayOf(readString) },
    arches: { read: arrayOf(readDockerArch) },
    minKernel: { read: readMinKernel },
  }) as RuleFilter | undefined;

const readArchMapEntry: Reader<ArchMapEntry> = (ctx, node, at) => {
  const o = readObject(ctx, node, at, {
    architecture: { read: readScmpArch, required: true },
    subArchitectures: { read: arrayOf(readScmpArch) },
  });
  return o?.architecture === undefined ? undefined : (o as unknown as ArchMapEntry);
};

function child(node: JsonNode, key: string): JsonNode | undefined {
  const prop = node.children?.find((p) => p.children?.[0]?.value === key);
  return prop?.children?.[1];
}

const readRule: Reader<SyscallRule> = (ctx, node, at) => {
  const o = readObject(ctx, node, at, {
    names: { read: arrayOf(readName) },
    name: { read: readName },
    action: { read: readAction, required: true },
    errnoRet: { read: readUint },
    args: { read: arrayOf(readArg) },
    includes: { read: readFilter },
    excludes: { read: readFilter },
    comment: { read: readString },
  });
  if (!o) return undefined;
  const hasNames = Array.isArray(o.names) && o.names.length > 0;
  const given = (key: string): boolean => {
    const n = child(node, key);
    return n !== undefined && n.type !== 'null' && !(n.type === 'array' && (n.children?.length ?? 0) === 0);
  };
  const namesGiven = given('names');
  const nameGiven = given('name');
  if (!namesGiven && !nameGiven) {
    report(ctx, node, at, 'missing-names', 'rule has neither "names" nor "name": it matches no syscall');
  } else if (namesGiven && nameGiven) {
    report(ctx, node, at, 'name-and-names', 'rule has both "name" and "names": Docker and CRI-O reject this, use "names" only');
  }
  if (o.action === undefined || (!hasNames && o.name === undefined)) return undefined;
  if (Array.isArray(o.names) && o.names.length === 0) delete o.names;
  return o as unknown as SyscallRule;
};

function checkNotifyListener(ctx: Ctx, root: JsonNode, profile: Partial<SeccompProfile>): void {
  if (profile.listenerPath) return;
  const notify: Action = 'SCMP_ACT_NOTIFY';
  const offenders: { node: JsonNode; at: Segments }[] = [];
  const def = child(root, 'defaultAction');
  if (def?.value === notify) offenders.push({ node: def, at: ['defaultAction'] });
  (child(root, 'syscalls')?.children ?? []).forEach((rule, i) => {
    const action = rule.type === 'object' ? child(rule, 'action') : undefined;
    if (action?.value === notify) offenders.push({ node: action, at: ['syscalls', i, 'action'] });
  });
  for (const { node, at } of offenders) {
    report(ctx, node, at, 'notify-without-listener', 'SCMP_ACT_NOTIFY needs "listenerPath" (the seccomp agent socket); runc refuses the profile without it');
  }
}

/** Validates the document root; errors go to `errors`, the profile is returned only when there are none. */
export function validateProfile(root: JsonNode, text: string, lines: LineIndex, source: string, errors: ProfileIssue[]): SeccompProfile | undefined {
  const ctx: Ctx = { source, text, lines, errors };
  const before = errors.length;
  const o = readObject(ctx, root, [], {
    defaultAction: { read: readAction, required: true },
    defaultErrnoRet: { read: readUint },
    architectures: { read: arrayOf(readScmpArch) },
    archMap: { read: arrayOf(readArchMapEntry) },
    flags: { read: arrayOf(readFlag) },
    listenerPath: { read: readString },
    listenerMetadata: { read: readString },
    syscalls: { read: arrayOf(readRule) },
  });
  if (!o) return undefined;
  checkNotifyListener(ctx, root, o as Partial<SeccompProfile>);
  return errors.length === before ? (o as unknown as SeccompProfile) : undefined;
}
