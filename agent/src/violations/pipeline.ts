import { AgentError, type LossReason, type SourceStats, type ViolationSource, type WatchEvent, type WatchViolationsRequest } from '@kubectl-seccomp/proto';
import type { Logger } from '../log.js';
import type { AgentMetrics } from '../metrics.js';
import { Enricher, type ProcessLookup, type SyscallNaming } from './enrich.js';
import { ViolationBroadcast } from './broadcast.js';
import { compileFilter, compileUnplaceable, filterProblem } from './filter.js';
import { History } from './history.js';
import { LossLedger } from './loss-ledger.js';
import { AuditLostCounter } from './losses.js';
import { readRaw } from './parse/index.js';
import { nullPodResolver, type PodResolver } from './pod-resolver.js';
import { ProcessIdentities } from './processes.js';
import { auditKey, type Reading, type SeccompRecord } from './record.js';
import { RecentKeys } from './recent-keys.js';
import type { SigsysDeaths } from './sigsys-deaths.js';
import type { RawRecord, RecordSource, SourceSink } from './source.js';
import type { PositionKeeper } from '../state/index.js';

export interface ViolationPipelineOptions {
  nodeName: string;
  /** Where the host's / is mounted ("/" for --local): /proc is read under it. */
  hostRoot: string;
  sources: RecordSource[];
  podResolver?: PodResolver;
  /** --state-dir: where sources resume from, and where their new positions are kept. */
  positions?: PositionKeeper;
  log: Logger;
  metrics?: AgentMetrics;
  /** Default stats period for watchers that do not ask for one (ms). */
  statsIntervalMs?: number;
  /** How many audit ids of delivered records are remembered, to drop their copies from other carriers. */
  dedupeCapacity?: number;
  /** How long such an id is remembered (ms); copies arrive within seconds of each other. */
  dedupeWindowMs?: number;
  /** How many recent violations are kept for watchers that start in the past. */
  historySize?: number;
  /** Default and maximum watcher queue bounds. */
  defaultMaxQueue?: number;
  maxQueueCap?: number;
  /** Replaceable for tests. */
  naming?: SyscallNaming;
  processes?: ProcessLookup;
  /** Containers that died of SIGSYS, from pod statuses (KubePodResolver.deaths). */
  deaths?: SigsysDeaths | undefined;
  read?: (raw: RawRecord) => Reading;
  now?: () => number;
}

interface SourceState {
  stats: SourceStats;
  auditLost: AuditLostCounter;
  /** The source has said how it is doing at least once. */
  reported: boolean;
}

const MIN_STATS_INTERVAL_MS = 100;
const MAX_STATS_INTERVAL_MS = 3_600_000;

/**
 * sources -> parse -> de-duplicate -> enrich -> fan out, and the counters for /metrics and stats.
 * Per source, `records` counts every copy of a seccomp record it carried (a copy of a delivered record
 * is known by its audit id, its fields unread), `damaged` the lines claiming to be one that could not be read.
 */
export class ViolationPipeline {
  private readonly states = new Map<ViolationSource, SourceState>();
  /** Audit ids of the records delivered. */
  private readonly delivered: RecentKeys;
  private readonly enricher: Enricher;
  private readonly history: History;
  private readonly broadcast: ViolationBroadcast;
  private readonly read: (raw: RawRecord) => Reading;
  private readonly failures = new Set<string>();
  /** First sightings waiting for the flush that enriches them. */
  private pending: SeccompRecord[] = [];
  /** The last batch still waiting for the process lookup to catch up (ProcessLookup.settle). */
  private settling: Promise<void> | undefined;
  /** Kernel loss reports already counted for streams, by their kmsg timestamp: kmsg and journald carry the same lines. */
  private readonly kernelLossLines = new RecentKeys({ capacity: 1024 });
  /** Losses for stream stats: kernel reports once however many sources carried them, plus each source's own. */
  private readonly losses = new LossLedger();
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly opts: ViolationPipelineOptions) {
    this.now = opts.now ?? Date.now;
    this.delivered = new RecentKeys({ capacity: opts.dedupeCapacity ?? 65536, windowMs: opts.dedupeWindowMs ?? 600_000 });
    this.read = opts.read ?? readRaw;
    this.history = new History(opts.historySize ?? 10000);
    this.enricher = new Enricher({
      nodeName: opts.nodeName,
      processes: opts.processes ?? new ProcessIdentities(opts.hostRoot),
      pods: opts.podResolver ?? nullPodResolver,
      deaths: opts.deaths,
      ...(opts.naming ? { naming: opts.naming } : {}),
      ...(opts.now ? { now: opts.now } : {}),
    });
    this.broadcast = new ViolationBroadcast({
      snapshot: () => ({ sources: this.sourceStats(), losses: this.losses.snapshot() }),
      nodeName: opts.nodeName,
      onClients: (n) => opts.metrics?.watchClients(n),
      onDropped: () => opts.metrics?.watchDropped(),
      ...(opts.now ? { now: opts.now } : {}),
    });
    for (const source of opts.sources) this.state(source.name);
  }

  /** Starts every source; one that fails to start is reported unhealthy and the others go on. */
  async start(opts: { sinceUnixMs: number }): Promise<void> {
    await Promise.all(
      this.opts.sources.map(async (source) => {
        try {
          const resume = this.opts.positions?.resume;
          await source.start(this.sinkFor(source.name), { sinceUnixMs: opts.sinceUnixMs, ...(resume ? { resume } : {}) });
          const state = this.state(source.name);
          if (!state.reported) this.setHealth(source.name, true, '');
        } catch (err) {
          this.setHealth(source.name, false, `cannot start: ${err instanceof Error ? err.message : String(err)}`);
        }
      }),
    );
  }

  /** Stops the sources and ends every watcher's stream. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.broadcast.close();
    const results = await Promise.allSettled(this.opts.sources.map((s) => s.stop()));
    results.forEach((r, i) => {
      if (r.status === 'rejected') this.opts.log.warn({ source: this.opts.sources[i]?.name, err: r.reason }, 'source did not stop cleanly');
    });
  }

  get watchers(): number {
    return this.broadcast.clients;
  }

  /** A stream of violations matching the request, with periodic stats; ends on abort or stop(). */
  watch(req: WatchViolationsRequest, signal?: AbortSignal): AsyncIterable<WatchEvent> {
    if (this.stopped) return (async function* () {})();
    const problem = filterProblem(req.filter);
    if (problem) throw new AgentError('invalid-argument', problem);
    const cap = this.opts.maxQueueCap ?? 65536;
    const maxQueue = Math.min(req.maxQueue > 0 ? req.maxQueue : (this.opts.defaultMaxQueue ?? 1024), cap);
    const requested = req.statsIntervalMs > 0 ? req.statsIntervalMs : (this.opts.statsIntervalMs ?? 5000);
    const statsIntervalMs = Math.min(Math.max(requested, MIN_STATS_INTERVAL_MS), MAX_STATS_INTERVAL_MS);
    const unplaceable = compileUnplaceable(req.filter);
    return this.broadcast.subscribe({
      predicate: compileFilter(req.filter),
      ...(unplaceable ? { unplaceable } : {}),
      maxQueue,
      statsIntervalMs,
      replay: req.sinceUnixMs > 0 ? this.history.since(req.sinceUnixMs) : [],
      replayLosses: req.sinceUnixMs > 0 ? this.losses.since(req.sinceUnixMs) : new Map(),
      ...(signal ? { signal } : {}),
    });
  }

  /**
   * The SourceSink.record path; public for tests and benchmarks. Counting, parsing and de-duplication
   * happen here; enrichment and delivery in the flush that follows (a microtask).
   */
  ingest(raw: RawRecord): void {
    const state = this.state(raw.source);
    const reading = this.read(raw);
    switch (reading.kind) {
      case 'skip':
        return;
      case 'damaged':
        this.addDamaged(state, raw.source, reading.reason);
        return;
      case 'lost':
        this.addKernelLost(raw, reading.count, 'kernel-suppressed');
        return;
      case 'lost-total':
        this.addKernelLost(raw, state.auditLost.increase(reading.total), 'audit-lost');
        return;
      case 'seccomp':
        break;
    }
    const key = auditKey(reading.stamp);
    if (!this.delivered.has(key)) {
      const outcome = reading.record();
      if (outcome.kind === 'damaged') {
        this.addDamaged(state, raw.source, outcome.reason);
        return;
      }
      this.delivered.firstSighting(key);
      if (this.pending.push(outcome.record) === 1) queueMicrotask(this.flush);
    }
    state.stats.records++;
    this.opts.metrics?.sourceRecords(raw.source);
  }

  private addDamaged(state: SourceState, source: ViolationSource, reason: string): void {
    state.stats.damaged++;
    this.opts.metrics?.sourceDamaged(source);
    this.opts.log.debug({ source, reason }, 'damaged seccomp record');
  }

  /**
   * Enriches and publishes the records ingested since the last flush, a microtask after the source
   * handed them over: all were logged before any /proc lookup, so lookups can share what they learn.
   */
  private readonly flush = (): void => {
    const records = this.pending;
    this.pending = [];
    const settled = this.enricher.settle(records);
    if (!settled && !this.settling) return this.publishBatch(records);
    // A batch that waits for process events holds back the batches after it: order is kept.
    const mine: Promise<void> = Promise.all([this.settling, settled]).then(() => {
      if (this.settling === mine) this.settling = undefined;
      this.publishBatch(records);
    });
    this.settling = mine;
  };

  private publishBatch(records: SeccompRecord[]): void {
    if (this.stopped) return;
    this.enricher.batch(() => {
      for (const record of records) this.publish(record);
    });
  }

  private publish(record: SeccompRecord): void {
    try {
      const violation = this.enricher.enrich(record);
      this.history.add(violation);
      this.opts.metrics?.violation(violation);
      this.broadcast.publish(violation);
    } catch (err) {
      // A bug, not bad input: say it once per distinct message rather than once per record.
      const message = err instanceof Error ? err.message : String(err);
      if (!this.failures.has(message)) {
        this.failures.add(message);
        this.opts.log.error({ err, auditId: record.auditId }, 'cannot enrich a seccomp record');
      }
    }
  }

  /** The sources' counters now. */
  sourceStats(): SourceStats[] {
    return [...this.states.values()].map((s) => ({ ...s.stats }));
  }

  private sinkFor(name: ViolationSource): SourceSink {
    return {
      record: (raw) => this.ingest(raw),
      lost: (count, detail) => this.addLost(name, count, detail?.reason ?? 'ring-overrun', detail?.atUnixMs),
      advanced: (position) => this.opts.positions?.advance(position),
      healthy: () => this.setHealth(name, true, ''),
      unhealthy: (error) => this.setHealth(name, false, error),
    };
  }

  /** A loss the source itself saw (kmsg overrun, the ring overwritten while no agent read it): its own, counted once. */
  private addLost(name: ViolationSource, count: number, reason: LossReason, atUnixMs = this.now()): void {
    if (count <= 0) return;
    this.state(name).stats.lost += count;
    this.losses.add(count, reason, atUnixMs);
    // Once per start for a restart's gap; an overrun can repeat all through a storm.
    if (reason === 'overwritten-while-down') this.opts.log.warn({ source: name, count, reason }, 'seccomp records lost');
    else this.opts.log.debug({ source: name, count, reason }, 'seccomp records lost');
    this.opts.metrics?.sourceLost(name, count);
  }

  /**
   * A loss the kernel reported in its log: counted per source that carried it, and once for streams.
   * The line's kmsg timestamp (journald keeps it as _SOURCE_MONOTONIC_TIMESTAMP) identifies it.
   */
  private addKernelLost(raw: RawRecord, count: number, reason: LossReason): void {
    if (count <= 0) return;
    this.state(raw.source).stats.lost += count;
    this.opts.metrics?.sourceLost(raw.source, count);
    const usec = raw.kind === 'kmsg' ? raw.usec : raw.kind === 'journal' ? Number(raw.entry.string('_SOURCE_MONOTONIC_TIMESTAMP')) : NaN;
    if (!Number.isFinite(usec) || this.kernelLossLines.firstSighting(`${usec}:${count}`)) this.losses.add(count, reason, this.now());
  }

  private setHealth(name: ViolationSource, healthy: boolean, error: string): void {
    const state = this.state(name);
    const changed = !state.reported || state.stats.healthy !== healthy || state.stats.error !== error;
    state.reported = true;
    state.stats.healthy = healthy;
    state.stats.error = error;
    this.opts.metrics?.sourceHealthy(name, healthy);
    if (!changed) return;
    if (healthy) this.opts.log.info({ source: name }, 'violation source reading');
    else this.opts.log.warn({ source: name, error }, 'violation source failed');
  }

  private state(name: ViolationSource): SourceState {
    let state = this.states.get(name);
    if (!state) {
      state = {
        stats: { name, healthy: false, error: '', records: 0, lost: 0, damaged: 0 },
        auditLost: new AuditLostCounter(),
        reported: false,
      };
      this.states.set(name, state);
      this.opts.metrics?.sourceHealthy(name, false);
    }
    return state;
  }
}
