/**
 * The agent API as precise TypeScript types: what both sides program against. The message types are
 * derived from pbts's declarations of agent.proto (gen/agent.d.ts), so a new field is written once, in
 * the .proto (its comment there is the field's doc); only enums, the oneof and values narrower than
 * their wire type are written here. codec.ts converts. Every field is always present (proto3 defaults).
 */
import { seccomp } from '../gen/agent.js';

import pb = seccomp.agent.v1;

/**
 * A pbts message interface (every field optional and nullable) with every field present, nested
 * messages too; 64-bit integers are numbers (pbjs --force-number). `Absent` is what a singular
 * message field may be instead: null in protobufjs's toObject output, never in the API.
 */
export type Fields<T, Absent = never> = { -readonly [K in keyof T]-?: Field<NonNullable<T[K]>, Absent> };
type Field<V, Absent> = V extends Uint8Array
  ? Uint8Array
  : V extends readonly (infer E)[]
    ? Element<E, Absent>[]
    : V extends object
      ? Fields<V, Absent> | Absent
      : V;
type Element<E, Absent> = E extends object ? Fields<E, Absent> : E;
/** T with the fields of R replaced by R's types. */
type Refine<T, R> = Omit<T, keyof R> & R;

export type NodeInfo = Fields<pb.INodeInfo>;

/** Which agent build answers, and on which Node.js. */
export type VersionResponse = Fields<pb.IVersionResponse>;

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';
export type CheckResult = Refine<Fields<pb.ICheckResult>, { status: CheckStatus }>;

export type SeccompMode = 'unknown' | 'disabled' | 'strict' | 'filter';
export type ContainerProcess = Refine<Fields<pb.IContainerProcess>, { mode: SeccompMode }>;

export type DoctorResponse = Refine<Fields<pb.IDoctorResponse>, { checks: CheckResult[]; containers: ContainerProcess[] }>;

export type ProfileInfo = Fields<pb.IProfileInfo>;
export type ListProfilesResponse = Fields<pb.IListProfilesResponse>;

export type ProfileFile = Fields<pb.IProfileFile>;
export type ProfileRef = Fields<pb.IProfileRef>;
/** `force` may be left out: false. */
export type SyncProfilesRequest = Refine<Fields<pb.ISyncProfilesRequest>, { force?: boolean }>;

export type SyncOutcome = 'created' | 'updated' | 'unchanged' | 'deleted' | 'adopted' | 'error';
export type SyncResult = Refine<Fields<pb.ISyncResult>, { outcome: SyncOutcome }>;
export type SyncProfilesResponse = Refine<Fields<pb.ISyncProfilesResponse>, { results: SyncResult[] }>;

export type ViolationFilter = Fields<pb.IViolationFilter>;
export type WatchViolationsRequest = Fields<pb.IWatchViolationsRequest>;

export type ViolationSource = 'kmsg' | 'journald' | 'auditlog' | 'netlink';
export type Violation = Refine<Fields<pb.IViolation>, { source: ViolationSource | '' }>;

export type SourceStats = Fields<pb.ISourceStats>;

/** Why records were lost; a newer agent may send reasons this list does not have yet. */
export type LossReason = 'ring-overrun' | 'kernel-suppressed' | 'audit-lost' | 'overwritten-while-down' | (string & {});
export type LossCount = Refine<Fields<pb.ILossCount>, { reason: LossReason }>;
export type StreamStats = Refine<Fields<pb.IStreamStats>, { losses: LossCount[] }>;

export type WatchEvent = { kind: 'violation'; violation: Violation } | { kind: 'stats'; stats: StreamStats };

export interface CallOptions {
  /** Cancels the call; for watchViolations it ends the stream. */
  signal?: AbortSignal;
  /** Deadline for unary calls, ms from now. */
  timeoutMs?: number;
}

/**
 * One node's agent, however it is reached: gRPC (direct or through a port-forward) or in-process
 * (--local). Errors are AgentError.
 */
export interface AgentApi {
  doctor(opts?: CallOptions): Promise<DoctorResponse>;
  listProfiles(opts?: CallOptions): Promise<ListProfilesResponse>;
  syncProfiles(req: SyncProfilesRequest, opts?: CallOptions): Promise<SyncProfilesResponse>;
  /** Ends when opts.signal aborts (cleanly, without throwing) or the agent ends the stream. */
  watchViolations(req: WatchViolationsRequest, opts?: CallOptions): AsyncIterable<WatchEvent>;
  version(opts?: CallOptions): Promise<VersionResponse>;
}
