/**
 * Conversion between the precise API types (types.ts) and the protobufjs static messages (gen/).
 * Decoding goes through the generated toObject, which fills every field (proto3 defaults) and turns
 * 64-bit integers into numbers; only what types.ts narrows is converted here: enums to lowercase
 * unions, the oneof to `kind`, absent singular messages to empty ones, bytes to plain Uint8Arrays.
 */
import type { IConversionOptions } from 'protobufjs';
import { seccomp } from '../gen/agent.js';
import type {
  CheckStatus,
  DoctorResponse,
  Fields,
  ListProfilesResponse,
  NodeInfo,
  SeccompMode,
  SyncOutcome,
  SyncProfilesRequest,
  SyncProfilesResponse,
  VersionResponse,
  ViolationFilter,
  ViolationSource,
  WatchEvent,
  WatchViolationsRequest,
} from './types.js';

import pb = seccomp.agent.v1;

/** How one message type crosses the wire: what grpc-js needs for (de)serialization. */
export interface Codec<T, D = T> {
  serialize(value: T): Buffer;
  deserialize(bytes: Buffer): D;
}

/** An empty request (DoctorRequest, ListProfilesRequest). */
export type Empty = Record<string, never>;

/** The static message classes share this shape: W is the pbts interface, C the class decode returns. */
interface Message<W, C> {
  encode(message: W): { finish(): Uint8Array };
  decode(bytes: Uint8Array): C;
  toObject(message: C, options: IConversionOptions): Record<string, unknown>;
}

const OBJECT: IConversionOptions = { longs: Number, defaults: true, arrays: true };

/** A decoded message as a plain object with every field; a singular message field is null when absent. */
function plain<W, C>(msg: Message<W, C>, bytes: Uint8Array): Fields<W, null> {
  return msg.toObject(msg.decode(bytes), OBJECT) as Fields<W, null>;
}

function codec<T, W, C, D = T>(msg: Message<W, C>, toWire: (v: T) => W, fromWire: (w: Fields<W, null>) => D): Codec<T, D> {
  return {
    serialize: (value) => toBuffer(msg.encode(toWire(value)).finish()),
    deserialize: (bytes) => fromWire(plain(msg, bytes)),
  };
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const EMPTY = new Uint8Array();
const emptyNode = (): NodeInfo => plain(pb.NodeInfo, EMPTY);
const emptyFilter = (): ViolationFilter => plain(pb.ViolationFilter, EMPTY);

/** A two-way table between a wire enum and its union; unknown wire values decode to `fallback`. */
function enumMap<U extends string>(pairs: readonly (readonly [number, U])[], fallback: U) {
  const toU = new Map(pairs);
  const toN = new Map(pairs.map(([n, u]) => [u, n]));
  return {
    decode: (n: number): U => toU.get(n) ?? fallback,
    encode: (u: U): number => toN.get(u) ?? 0,
  };
}

// A status this client does not know (a newer agent) is shown as a warning: it needs a look but
// must not fail the run.
const checkStatus = enumMap<CheckStatus>(
  [
    [pb.CheckStatus.CHECK_STATUS_PASS, 'pass'],
    [pb.CheckStatus.CHECK_STATUS_WARN, 'warn'],
    [pb.CheckStatus.CHECK_STATUS_FAIL, 'fail'],
    [pb.CheckStatus.CHECK_STATUS_SKIP, 'skip'],
  ],
  'warn',
);
const seccompMode = enumMap<SeccompMode>(
  [
    [pb.SeccompMode.SECCOMP_MODE_UNSPECIFIED, 'unknown'],
    [pb.SeccompMode.SECCOMP_MODE_DISABLED, 'disabled'],
    [pb.SeccompMode.SECCOMP_MODE_STRICT, 'strict'],
    [pb.SeccompMode.SECCOMP_MODE_FILTER, 'filter'],
  ],
  'unknown',
);
// An outcome this client does not know cannot be trusted as success.
const syncOutcome = enumMap<SyncOutcome>(
  [
    [pb.SyncOutcome.SYNC_OUTCOME_CREATED, 'created'],
    [pb.SyncOutcome.SYNC_OUTCOME_UPDATED, 'updated'],
    [pb.SyncOutcome.SYNC_OUTCOME_UNCHANGED, 'unchanged'],
    [pb.SyncOutcome.SYNC_OUTCOME_DELETED, 'deleted'],
    [pb.SyncOutcome.SYNC_OUTCOME_ERROR, 'error'],
    [pb.SyncOutcome.SYNC_OUTCOME_ADOPTED, 'adopted'],
  ],
  'error',
);
const SOURCES: ReadonlySet<string> = new Set<ViolationSource>(['kmsg', 'journald', 'auditlog', 'netlink']);
const source = (v: string): ViolationSource | '' => (SOURCES.has(v) ? (v as ViolationSource) : '');

/** Linux pids fit int32 (pid_max <= 2^22); anything else (damaged input) is sent as 0, unknown, never wrapped into another pid. */
const wirePid = (pid: number): number => (Number.isInteger(pid) && pid >= 0 && pid <= 0x7fffffff ? pid : 0);

export const empty: Codec<Empty> = {
  serialize: () => Buffer.alloc(0),
  deserialize: () => ({}),
};

export const doctorResponse = codec(
  pb.DoctorResponse,
  (r: DoctorResponse): pb.IDoctorResponse => ({
    ...r,
    checks: r.checks.map((c) => ({ ...c, status: checkStatus.encode(c.status) })),
    containers: r.containers.map((c) => ({ ...c, pid: wirePid(c.pid), mode: seccompMode.encode(c.mode) })),
  }),
  (w): DoctorResponse => ({
    node: w.node ?? emptyNode(),
    checks: w.checks.map((c) => ({ ...c, status: checkStatus.decode(c.status) })),
    containers: w.containers.map((c) => ({ ...c, mode: seccompMode.decode(c.mode) })),
  }),
);

export const listProfilesResponse = codec(
  pb.ListProfilesResponse,
  (r: ListProfilesResponse): pb.IListProfilesResponse => r,
  (w): ListProfilesResponse => ({ ...w, node: w.node ?? emptyNode() }),
);

export const syncProfilesRequest = codec(
  pb.SyncProfilesRequest,
  (r: SyncProfilesRequest): pb.ISyncProfilesRequest => ({ ...r, force: r.force === true }),
  // Decoded bytes are Buffers (slices of the request); the API hands out plain Uint8Arrays.
  (w): SyncProfilesRequest => ({
    ...w,
    files: w.files.map((f) => ({ ...f, content: new Uint8Array(f.content.buffer, f.content.byteOffset, f.content.byteLength) })),
  }),
);

export const syncProfilesResponse = codec(
  pb.SyncProfilesResponse,
  (r: SyncProfilesResponse): pb.ISyncProfilesResponse => ({ ...r, results: r.results.map((s) => ({ ...s, outcome: syncOutcome.encode(s.outcome) })) }),
  (w): SyncProfilesResponse => ({ ...w, node: w.node ?? emptyNode(), results: w.results.map((s) => ({ ...s, outcome: syncOutcome.decode(s.outcome) })) }),
);

export const watchViolationsRequest = codec(
  pb.WatchViolationsRequest,
  (r: WatchViolationsRequest): pb.IWatchViolationsRequest => r,
  (w): WatchViolationsRequest => ({ ...w, filter: w.filter ?? emptyFilter() }),
);

/** An event with neither member set (an event kind of a newer agent) decodes to undefined. */
export const watchEvent = codec(
  pb.WatchEvent,
  (e: WatchEvent): pb.IWatchEvent => (e.kind === 'violation' ? { violation: { ...e.violation, pid: wirePid(e.violation.pid) } } : { stats: e.stats }),
  (w): WatchEvent | undefined => {
    if (w.violation) return { kind: 'violation', violation: { ...w.violation, source: source(w.violation.source) } };
    if (w.stats) return { kind: 'stats', stats: w.stats };
    return undefined;
  },
);

export const versionResponse = codec(
  pb.VersionResponse,
  (r: VersionResponse): pb.IVersionResponse => r,
  (w): VersionResponse => w,
);
