import { AgentError, type SourceStats, type ViolationSource, type WatchEvent, type WatchViolationsRequest } from '@kubectl-seccomp/proto';
import type { Logger } from '../log.js';
import type { AgentMetrics } from '../metrics.js';
import { RecentIds } from './dedupe.js';
import { Enricher, type ProcessLookup, type SyscallNaming } from './enrich.js';
import { Fanout } from './fanout.js';
import { compileFilter, filterProblem } from './filter.js';
import { History } from './history.js';
import { AuditLostCounter } from './losses.js';
import { journalText, parseRaw, recordKey } from './parse/index.js';
import { nullPodResolver, type PodResolver } from './podResolver.js';
import { ProcessIdentities } from './processes.js';
import type { ParseOutcome, SeccompRecord } from './record.js';
import type { RawRecord, RecordSource, SourceSink } from './source.js';

export interface ViolationPipelineOptions {
  nodeName: string;
  /** Where the host's / is mounted ("/" for --local): /proc is read under it. */
  hostRoot: string;
  sources: RecordSource[];
  podResolver?: PodResolver;
  log: Logger;
  metrics?: AgentMetrics;
  /** Default stats period for watchers that do not ask for one (ms). */
  statsIntervalMs?: number;
  /** How many recent audit ids are remembered to drop copies. */
  dedupeWindow?: number;
  /** How many recent violations are kept for watchers that start in the past. */
  historySize?: number;
  /** Default and maximum watcher queue bounds. */
  defaultMaxQueue?: number;
  maxQueueCap?: number;
  /** Replaceable for tests. */
  naming?: SyscallNaming;
  processes?: ProcessLookup;
  parse?: (raw: RawRecord) => ParseOutcome;
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
 * sources -> de-duplicate -> parse -> enrich -> fan out, and the counters for /metrics and stats.
 *
 * Per-source stats: `records` counts every copy of a seccomp record the source carried, delivered or
 * dropped as a copy; `damaged` the lines claiming to be one that could not be read. A copy of a record
 * already delivered is recognised by its audit id alone (recordKey) and counted as a record without
 * reading its fields: the parse costs more than everything else, and two of three copies are dropped
 * on nodes with journald's audit socket. So a copy damaged past its audit id, arriving after a good
 * copy, counts as a record, not as damaged. A line whose id cannot be read, or whose id has not been
 * delivered yet, takes the full parse (and only a parsed record marks its id as seen).
 */
export class ViolationPipeline {
  private readonly states = new Map<ViolationSource, SourceState>();
  private readonly recent: RecentIds;
  private readonly enricher: Enricher;
  private readonly history: History;
  private readonly fanout: Fanout;
  private readonly parse: (raw: RawRecord) => ParseOutcome;
  private readonly failures = new Set<string>();
  /** First sightings waiting for the flush that enriches them. */
  private pending: SeccompRecord[] = [];
  /** Kernel loss reports already counted for streams, by their kmsg timestamp: kmsg and journald carry the same lines. */
  private readonly kernelLossLines = new RecentIds(1024);
  /** Losses for stream stats: kernel reports once however many sources carried them, plus each source's own. */
  private streamLost = 0;
  private stopped = false;

  constructor(private readonly opts: ViolationPipelineOptions) {
    this.recent = new RecentIds(opts.dedupeWindow ?? 65536);
    this.parse = opts.parse ?? parseRaw;
    this.history = new History(opts.historySize ?? 10000);
    this.enricher = new Enricher({
      nodeName: opts.nodeName,
      processes: opts.processes ?? new ProcessIdentities(opts.hostRoot),
      pods: opts.podResolver ?? nullPodResolver,
      ...(opts.naming ? { naming: opts.naming } : {}),
      ...(opts.now ? { now: opts.now } : {}),
    });
    this.fanout = new Fanout({
      snapshot: () => ({ sources: this.sourceStats(), lostTotal: this.lostTotal() }),
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
          await source.start(this.sinkFor(source.name), { sinceUnixMs: opts.sinceUnixMs });
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
    this.fanout.close();
    const results = await Promise.allSettled(this.opts.sources.map((s) => s.stop()));
    results.forEach((r, i) => {
      if (r.status === 'rejected') this.opts.log.warn({ source: this.opts.sources[i]?.name, err: r.reason }, 'source did not stop cleanly');
    });
  }

  get watchers(): number {
    return this.fanout.clients;
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
    return this.fanout.subscribe({
      predicate: compileFilter(req.filter),
      maxQueue,
      statsIntervalMs,
      replay: req.sinceUnixMs > 0 ? this.history.since(req.sinceUnixMs) : [],
      ...(signal ? { signal } : {}),
    });
  }

  /**
   * The SourceSink.record path; public for tests and benchmarks. Counting, parsing and de-duplication
   * happen here; enrichment and delivery in the flush that follows (a microtask).
   */
  ingest(raw: RawRecord): void {
    const state = this.state(raw.source);
    const key = recordKey(raw);
    if (key !== undefined && this.recent.has(key.serial, key.timeUnixMs)) {
      state.stats.records++;
      this.opts.metrics?.sourceRecords(raw.source);
      return;
    }
    const outcome = this.parse(raw);
    switch (outcome.kind) {
      case 'skip':
        return;
      case 'damaged':
        state.stats.damaged++;
        this.opts.metrics?.sourceDamaged(raw.source);
        this.opts.log.debug({ source: raw.source, reason: outcome.reason }, 'damaged seccomp record');
        return;
      case 'lost':
        this.addKernelLost(raw, outcome.count);
        return;
      case 'lost-total':
        this.addKernelLost(raw, state.auditLost.increase(outcome.total));
        return;
      case 'record':
        break;
    }
    state.stats.records++;
    this.opts.metrics?.sourceRecords(raw.source);
    if (!this.recent.firstSighting(outcome.record.serial, outcome.record.timeUnixMs)) return;
    if (this.pending.push(outcome.record) === 1) queueMicrotask(this.flush);
  }

  /**
   * Enriches and publishes the records ingested since the last flush. It runs as a microtask, once the
   * source that handed them over has returned: every pending record was read before the flush began,
   * which is what lets the flush's /proc lookups share what they learn about gone processes
   * (ProcessIdentities.batch). Sources hand over what they read in one go (kmsg up to 2,000 records
   * per turn, journald and audit.log a chunk of lines), so a storm makes big batches.
   */
  private readonly flush = (): void => {
    const records = this.pending;
    this.pending = [];
    this.enricher.batch(() => {
      for (const record of records) this.publish(record);
    });
  };

  private publish(record: SeccompRecord): void {
    try {
      const violation = this.enricher.enrich(record);
      this.history.add(violation);
      this.opts.metrics?.violation(violation);
      this.fanout.publish(violation);
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

  private lostTotal(): number {
    return this.streamLost;
  }

  private sinkFor(name: ViolationSource): SourceSink {
    return {
      record: (raw) => this.ingest(raw),
      lost: (count) => this.addLost(name, count),
      healthy: () => this.setHealth(name, true, ''),
      unhealthy: (error) => this.setHealth(name, false, error),
    };
  }

  /** A loss the source itself saw (kmsg overrun, journal gap): its own, counted once. */
  private addLost(name: ViolationSource, count: number): void {
    if (count <= 0) return;
    this.state(name).stats.lost += count;
    this.streamLost += count;
    this.opts.metrics?.sourceLost(name, count);
  }

  /**
   * A loss the kernel reported in its log: counted per source that carried it, and once for streams.
   * The line's kmsg timestamp (journald keeps it as _SOURCE_MONOTONIC_TIMESTAMP) identifies it.
   */
  private addKernelLost(raw: RawRecord, count: number): void {
    if (count <= 0) return;
    this.state(raw.source).stats.lost += count;
    this.opts.metrics?.sourceLost(raw.source, count);
    const usec = raw.kind === 'kmsg' ? raw.usec : raw.kind === 'journal' ? Number(journalText(raw.entry.field('_SOURCE_MONOTONIC_TIMESTAMP'))) : NaN;
    if (!Number.isFinite(usec) || this.kernelLossLines.firstSighting(usec, count)) this.streamLost += count;
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
