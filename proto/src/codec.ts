/**
 * Conversion between the precise API types (types.ts) and the protobufjs static messages (gen/).
 * Decoded values always carry every field (proto3 defaults), enums become lowercase unions, 64-bit
 * integers become JS numbers and bytes become plain Uint8Arrays.
 */
import { seccomp } from '../gen/agent.js';
import type {
  CheckResult,
  CheckStatus,
  ContainerProcess,
  DoctorResponse,
  ListProfilesResponse,
  NodeInfo,
  ProfileFile,
  ProfileInfo,
  ProfileRef,
  SeccompMode,
  SourceStats,
  StreamStats,
  SyncOutcome,
  SyncProfilesRequest,
  SyncProfilesResponse,
  SyncResult,
  VersionResponse,
  Violation,
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

/** The static message classes share this shape. */
interface Message<W> {
  encode(message: W): { finish(): Uint8Array };
  decode(bytes: Uint8Array): W;
}

function codec<T, W, D = T>(msg: Message<W>, toWire: (v: T) => W, fromWire: (w: W) => D): Codec<T, D> {
  return {
    serialize: (value) => toBuffer(msg.encode(toWire(value)).finish()),
    deserialize: (bytes) => fromWire(msg.decode(bytes)),
  };
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** protobufjs hands out Long objects for 64-bit fields whenever the `long` package is installed. */
type Wide = number | { toNumber(): number } | null | undefined;
function num(v: Wide): number {
  if (v == null) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}
const str = (v: string | null | undefined): string => v ?? '';
const bool = (v: boolean | null | undefined): boolean => v ?? false;
const list = <W, T>(v: W[] | null | undefined, f: (w: W) => T): T[] => (v ?? []).map(f);
function bytes(v: Uint8Array | null | undefined): Uint8Array {
  return v ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : new Uint8Array();
}

/** A two-way table between a wire enum and its union; unknown wire values decode to `fallback`. */
function enumMap<U extends string>(pairs: readonly (readonly [number, U])[], fallback: U) {
  const toU = new Map(pairs);
  const toN = new Map(pairs.map(([n, u]) => [u, n]));
  return {
    decode: (n: number | null | undefined): U => toU.get(n ?? 0) ?? fallback,
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
const source = (v: string | null | undefined): ViolationSource | '' => (v && SOURCES.has(v) ? (v as ViolationSource) : '');

export const nodeInfo = {
  toWire: (n: NodeInfo): pb.INodeInfo => ({ ...n, architectures: [...n.architectures] }),
  fromWire: (w: pb.INodeInfo | null | undefined): NodeInfo => ({
    nodeName: str(w?.nodeName),
    agentVersion: str(w?.agentVersion),
    kernelRelease: str(w?.kernelRelease),
    machine: str(w?.machine),
    profileDir: str(w?.profileDir),
    kubeletRootDir: str(w?.kubeletRootDir),
    containerRuntime: str(w?.containerRuntime),
    containerRuntimeVersion: str(w?.containerRuntimeVersion),
    ociRuntime: str(w?.ociRuntime),
    ociRuntimeVersion: str(w?.ociRuntimeVersion),
    filterFlagLogSupported: bool(w?.filterFlagLogSupported),
    architectures: list(w?.architectures, String),
  }),
};

const checkResult = {
  toWire: (c: CheckResult): pb.ICheckResult => ({ ...c, status: checkStatus.encode(c.status) }),
  fromWire: (w: pb.ICheckResult): CheckResult => ({
    id: str(w.id),
    status: checkStatus.decode(w.status),
    summary: str(w.summary),
    detail: str(w.detail),
    remedy: str(w.remedy),
  }),
};

/** Linux pids fit int32 (pid_max <= 2^22); anything else (damaged input) is sent as 0, unknown, never wrapped into another pid. */
const wirePid = (pid: number): number => (Number.isInteger(pid) && pid >= 0 && pid <= 0x7fffffff ? pid : 0);

const containerProcess = {
  toWire: (c: ContainerProcess): pb.IContainerProcess => ({ ...c, pid: wirePid(c.pid), mode: seccompMode.encode(c.mode) }),
  fromWire: (w: pb.IContainerProcess): ContainerProcess => ({
    containerId: str(w.containerId),
    podUid: str(w.podUid),
    pid: w.pid ?? 0,
    comm: str(w.comm),
    mode: seccompMode.decode(w.mode),
    filters: w.filters ?? 0,
  }),
};

const profileInfo = {
  toWire: (p: ProfileInfo): pb.IProfileInfo => ({ ...p }),
  fromWire: (w: pb.IProfileInfo): ProfileInfo => ({
    path: str(w.path),
    sha256: str(w.sha256),
    size: num(w.size),
    managed: bool(w.managed),
    error: str(w.error),
    changedUnixMs: num(w.changedUnixMs),
  }),
};

const profileFile = {
  toWire: (f: ProfileFile): pb.IProfileFile => ({ path: f.path, content: f.content }),
  fromWire: (w: pb.IProfileFile): ProfileFile => ({ path: str(w.path), content: bytes(w.content) }),
};

const profileRef = {
  toWire: (r: ProfileRef): pb.IProfileRef => ({ ...r }),
  fromWire: (w: pb.IProfileRef): ProfileRef => ({ path: str(w.path), sha256: str(w.sha256) }),
};

const syncResult = {
  toWire: (r: SyncResult): pb.ISyncResult => ({ ...r, outcome: syncOutcome.encode(r.outcome) }),
  fromWire: (w: pb.ISyncResult): SyncResult => ({
    path: str(w.path),
    outcome: syncOutcome.decode(w.outcome),
    sha256: str(w.sha256),
    error: str(w.error),
  }),
};

const violationFilter = {
  toWire: (f: ViolationFilter): pb.IViolationFilter => ({
    namespaces: [...f.namespaces],
    pods: [...f.pods],
    containers: [...f.containers],
    syscalls: [...f.syscalls],
    actions: [...f.actions],
  }),
  fromWire: (w: pb.IViolationFilter | null | undefined): ViolationFilter => ({
    namespaces: list(w?.namespaces, String),
    pods: list(w?.pods, String),
    containers: list(w?.containers, String),
    syscalls: list(w?.syscalls, String),
    actions: list(w?.actions, String),
  }),
};

const violation = {
  toWire: (v: Violation): pb.IViolation => ({ ...v, pid: wirePid(v.pid) }),
  fromWire: (w: pb.IViolation): Violation => ({
    node: str(w.node),
    namespace: str(w.namespace),
    pod: str(w.pod),
    container: str(w.container),
    containerId: str(w.containerId),
    podUid: str(w.podUid),
    pid: w.pid ?? 0,
    comm: str(w.comm),
    exe: str(w.exe),
    arch: str(w.arch),
    auditArch: w.auditArch ?? 0,
    syscallNr: w.syscallNr ?? 0,
    syscall: str(w.syscall),
    action: str(w.action),
    code: w.code ?? 0,
    errno: w.errno ?? 0,
    source: source(w.source),
    auditId: str(w.auditId),
    timeUnixMs: num(w.timeUnixMs),
    compat: bool(w.compat),
    uid: w.uid ?? 0,
    gid: w.gid ?? 0,
    emittedUnixMs: num(w.emittedUnixMs),
  }),
};

const sourceStats = {
  toWire: (s: SourceStats): pb.ISourceStats => ({ ...s }),
  fromWire: (w: pb.ISourceStats): SourceStats => ({
    name: str(w.name),
    healthy: bool(w.healthy),
    error: str(w.error),
    records: num(w.records),
    lost: num(w.lost),
    damaged: num(w.damaged),
  }),
};

const streamStats = {
  toWire: (s: StreamStats): pb.IStreamStats => ({ ...s, sources: s.sources.map(sourceStats.toWire), losses: s.losses.map((l) => ({ ...l })) }),
  fromWire: (w: pb.IStreamStats | null | undefined): StreamStats => ({
    seen: num(w?.seen),
    dropped: num(w?.dropped),
    lost: num(w?.lost),
    sources: list(w?.sources, sourceStats.fromWire),
    timeUnixMs: num(w?.timeUnixMs),
    nodeName: str(w?.nodeName),
    losses: list(w?.losses, (l: pb.ILossCount) => ({ reason: str(l.reason), count: num(l.count) })),
    unattributed: num(w?.unattributed),
  }),
};

export const empty: Codec<Empty> = {
  serialize: () => Buffer.alloc(0),
  deserialize: () => ({}),
};

export const doctorResponse = codec<DoctorResponse, pb.IDoctorResponse>(
  pb.DoctorResponse,
  (r) => ({
    node: nodeInfo.toWire(r.node),
    checks: r.checks.map(checkResult.toWire),
    containers: r.containers.map(containerProcess.toWire),
  }),
  (w) => ({
    node: nodeInfo.fromWire(w.node),
    checks: list(w.checks, checkResult.fromWire),
    containers: list(w.containers, containerProcess.fromWire),
  }),
);

export const listProfilesResponse = codec<ListProfilesResponse, pb.IListProfilesResponse>(
  pb.ListProfilesResponse,
  (r) => ({ node: nodeInfo.toWire(r.node), profiles: r.profiles.map(profileInfo.toWire) }),
  (w) => ({ node: nodeInfo.fromWire(w.node), profiles: list(w.profiles, profileInfo.fromWire) }),
);

export const syncProfilesRequest = codec<SyncProfilesRequest, pb.ISyncProfilesRequest>(
  pb.SyncProfilesRequest,
  (r) => ({
    files: r.files.map(profileFile.toWire),
    unchanged: r.unchanged.map(profileRef.toWire),
    prune: r.prune,
    dryRun: r.dryRun,
    force: r.force === true,
  }),
  (w) => ({
    files: list(w.files, profileFile.fromWire),
    unchanged: list(w.unchanged, profileRef.fromWire),
    prune: bool(w.prune),
    dryRun: bool(w.dryRun),
    force: bool(w.force),
  }),
);

export const syncProfilesResponse = codec<SyncProfilesResponse, pb.ISyncProfilesResponse>(
  pb.SyncProfilesResponse,
  (r) => ({ node: nodeInfo.toWire(r.node), results: r.results.map(syncResult.toWire), dryRun: r.dryRun }),
  (w) => ({ node: nodeInfo.fromWire(w.node), results: list(w.results, syncResult.fromWire), dryRun: bool(w.dryRun) }),
);

export const watchViolationsRequest = codec<WatchViolationsRequest, pb.IWatchViolationsRequest>(
  pb.WatchViolationsRequest,
  (r) => ({
    filter: violationFilter.toWire(r.filter),
    sinceUnixMs: r.sinceUnixMs,
    statsIntervalMs: r.statsIntervalMs,
    maxQueue: r.maxQueue,
  }),
  (w) => ({
    filter: violationFilter.fromWire(w.filter),
    sinceUnixMs: num(w.sinceUnixMs),
    statsIntervalMs: w.statsIntervalMs ?? 0,
    maxQueue: w.maxQueue ?? 0,
  }),
);

/** An event with neither member set (an event kind of a newer agent) decodes to undefined. */
export const watchEvent = codec<WatchEvent, pb.IWatchEvent, WatchEvent | undefined>(
  pb.WatchEvent,
  (e) => (e.kind === 'violation' ? { violation: violation.toWire(e.violation) } : { stats: streamStats.toWire(e.stats) }),
  (w) => {
    if (w.violation) return { kind: 'violation', violation: violation.fromWire(w.violation) };
    if (w.stats) return { kind: 'stats', stats: streamStats.fromWire(w.stats) };
    return undefined;
  },
);

export const versionResponse = codec<VersionResponse, pb.IVersionResponse>(
  pb.VersionResponse,
  (r) => ({ ...r }),
  (w) => ({ nodeName: str(w.nodeName), agentVersion: str(w.agentVersion), nodejsVersion: str(w.nodejsVersion), platform: str(w.platform) }),
);
