import type { StreamStats, Violation } from '@kubectl-seccomp/proto';
import { attributionOf, type Attribution } from '../../services/watch/attribution.js';
import type { UpdateSink, WatchUpdate } from '../../services/watch/types.js';

/**
 * The JSON-lines shape of one violation (`-o json`, or stdout not a TTY). Stable: fields are only ever
 * added. `node` is the node as the CLI selected it (NODE of --agent NODE=HOST:PORT, the Kubernetes
 * node name); times are ms since the epoch; `syscall` is "" when the agent could not name the number.
 */
export interface ViolationRecord {
  kind: 'violation';
  node: string;
  timeUnixMs: number;
  namespace: string;
  pod: string;
  container: string;
  containerId: string;
  podUid: string;
  /** "pod": names known; "container": only containerId/podUid; "unnamed": the process exited before it could be named. */
  identity: Attribution;
  pid: number;
  comm: string;
  exe: string;
  syscall: string;
  syscallNr: number;
  arch: string;
  auditArch: number;
  compat: boolean;
  action: string;
  code: number;
  errno: number;
  uid: number;
  gid: number;
  auditId: string;
  source: string;
  emittedUnixMs: number;
}

/**
 * With --stats: the agent's counters for the current stream of one node (they restart on reconnect);
 * `losses` splits `lost` by reason, `unattributed` counts violations the agent's filter could not place.
 */
export interface StatsRecord extends Omit<StreamStats, 'nodeName'> {
  kind: 'stats';
  node: string;
  /** Violations from this node that -l could not place in the selected pods since the watch started (the CLI's count; 0 without -l). */
  unplaced: number;
}

export function violationRecord(node: string, v: Violation): ViolationRecord {
  return {
    kind: 'violation',
    node,
    timeUnixMs: v.timeUnixMs,
    namespace: v.namespace,
    pod: v.pod,
    container: v.container,
    containerId: v.containerId,
    podUid: v.podUid,
    identity: attributionOf(v),
    pid: v.pid,
    comm: v.comm,
    exe: v.exe,
    syscall: v.syscall,
    syscallNr: v.syscallNr,
    arch: v.arch,
    auditArch: v.auditArch,
    compat: v.compat,
    action: v.action,
    code: v.code,
    errno: v.errno,
    uid: v.uid,
    gid: v.gid,
    auditId: v.auditId,
    source: v.source,
    emittedUnixMs: v.emittedUnixMs,
  };
}

export function statsRecord(node: string, s: StreamStats, unplaced: number): StatsRecord {
  return {
    kind: 'stats',
    node,
    seen: s.seen,
    dropped: s.dropped,
    lost: s.lost,
    losses: s.losses,
    unattributed: s.unattributed,
    unplaced,
    sources: s.sources,
    timeUnixMs: s.timeUnixMs,
  };
}

/** A connection change as one stderr line, or undefined for the ones not worth a line. */
export function stateLine(u: Extract<WatchUpdate, { kind: 'state' }>, wasReconnecting: boolean): string | undefined {
  const s = u.state;
  switch (s.phase) {
    case 'reconnecting':
      return `node ${u.node}: stream lost (${s.error}); reconnecting in ${s.delayMs} ms`;
    case 'failed':
      return `node ${u.node}: giving up: ${s.error}`;
    case 'streaming':
      return wasReconnecting ? `node ${u.node}: reconnected` : undefined;
    default:
      return undefined;
  }
}

export interface JsonLinesOptions {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  /** Also write stats lines. */
  stats: boolean;
}

/** Violations (and stats with --stats) as JSON lines on stdout, nothing else; connection news on stderr. */
export function jsonLinesSink(opts: JsonLinesOptions): UpdateSink {
  const reconnecting = new Set<string>();
  const unplaced = new Map<string, number>();
  return (u) => {
    if (u.kind === 'violation') opts.stdout.write(`${JSON.stringify(violationRecord(u.node, u.violation))}\n`);
    else if (u.kind === 'unplaced') unplaced.set(u.node, (unplaced.get(u.node) ?? 0) + 1);
    else if (u.kind === 'stats') {
      if (opts.stats) opts.stdout.write(`${JSON.stringify(statsRecord(u.node, u.stats, unplaced.get(u.node) ?? 0))}\n`);
    } else if (u.kind === 'state') {
      const line = stateLine(u, reconnecting.has(u.node));
      if (u.state.phase === 'reconnecting') reconnecting.add(u.node);
      else if (u.state.phase === 'streaming') reconnecting.delete(u.node);
      if (line) opts.stderr.write(`${line}\n`);
    }
  };
}
