import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Violation, ViolationSource } from '@kubectl-seccomp/proto';
import { Counter, Gauge, Registry } from 'prom-client';

/**
 * The agent's Prometheus metrics. Label cardinality is bounded: syscall, action, source and node
 * come from small fixed sets; namespace/pod/container grow with the cluster's churn (every rollout
 * makes new pod names), so once `maxViolationSeries` distinct label sets exist, new pods and containers
 * are counted under pod="_overflow", container="_overflow" (namespace kept). Restarting the agent resets it.
 */
export interface AgentMetrics {
  readonly registry: Registry;
  violation(v: Violation): void;
  watchDropped(count?: number): void;
  watchClients(count: number): void;
  sourceRecords(source: ViolationSource, count?: number): void;
  sourceLost(source: ViolationSource, count: number): void;
  sourceDamaged(source: ViolationSource, count?: number): void;
  sourceHealthy(source: ViolationSource, healthy: boolean): void;
  /** BPF process tracking runs (records of exited processes can be named) or not. */
  processTracking(active: boolean): void;
  /** Process events the kernel's ring buffer had no room for: some records may go unnamed. */
  processEventsLost(count: number): void;
  configMapsSkipped(count: number): void;
  /** Whether the last reconcile wrote and read back every recorded profile. */
  reconcileComplete(complete: boolean): void;
}

export interface MetricsOptions {
  version: string;
  nodeName: string;
  maxViolationSeries?: number;
}

export const OVERFLOW_LABEL = '_overflow';

export function createAgentMetrics(opts: MetricsOptions): AgentMetrics {
  const registry = new Registry();
  const registers = [registry];
  const violations = new Counter({
    name: 'violations_total',
    help: 'Seccomp violations seen on this node (type=1326 records, de-duplicated).',
    labelNames: ['namespace', 'pod', 'container', 'syscall', 'action', 'node'] as const,
    registers,
  });
  const dropped = new Counter({
    name: 'watch_dropped_events_total',
    help: 'Violation events dropped from watchers queues because the reader was too slow.',
    registers,
  });
  const clients = new Gauge({ name: 'watch_clients', help: 'Watchers streaming violations now.', registers });
  const records = new Counter({
    name: 'source_records_total',
    help: 'Seccomp records read, per source (before de-duplication).',
    labelNames: ['source'] as const,
    registers,
  });
  const lost = new Counter({
    name: 'source_lost_records_total',
    help: 'Records the kernel or the source reported as lost (kmsg overrun, callbacks suppressed, audit_lost).',
    labelNames: ['source'] as const,
    registers,
  });
  const damaged = new Counter({
    name: 'source_damaged_records_total',
    help: 'Lines that claimed to be seccomp records but could not be parsed.',
    labelNames: ['source'] as const,
    registers,
  });
  const healthy = new Gauge({
    name: 'source_healthy',
    help: '1 when the source reads normally, 0 when it failed.',
    labelNames: ['source'] as const,
    registers,
  });
  const tracking = new Gauge({
    name: 'process_tracking_active',
    help: '1 when BPF process tracking names the processes of records (also those that exited), 0 when only /proc is read.',
    registers,
  });
  const eventsLost = new Counter({
    name: 'process_events_lost_total',
    help: 'Process events (fork, exec, exit) the BPF ring buffer had no room for: records of those processes may go unnamed.',
    registers,
  });
  const skippedConfigMaps = new Gauge({
    name: 'profile_configmaps_skipped',
    help: 'Profile ConfigMaps the last reconcile could not apply (bad profile, bad path, path taken).',
    registers,
  });
  const reconcileComplete = new Gauge({
    name: 'profiles_reconcile_complete',
    help: '1 when the last reconcile wrote and read back every recorded profile (the readiness taint waits for the first), 0 otherwise.',
    registers,
  });
  new Gauge({
    name: 'seccomp_agent_build_info',
    help: 'The agent build; always 1.',
    labelNames: ['version'] as const,
    registers,
  }).set({ version: opts.version }, 1);

  const maxSeries = opts.maxViolationSeries ?? 5000;
  const series = new Set<string>();
  return {
    registry,
    violation(v) {
      let pod = v.pod;
      let container = v.container;
      const key = `${v.namespace}\0${pod}\0${container}\0${v.syscall}\0${v.action}`;
      if (!series.has(key)) {
        if (series.size >= maxSeries) {
          pod = OVERFLOW_LABEL;
          container = OVERFLOW_LABEL;
        } else {
          series.add(key);
        }
      }
      violations.inc({ namespace: v.namespace, pod, container, syscall: v.syscall, action: v.action, node: opts.nodeName });
    },
    watchDropped: (count = 1) => dropped.inc(count),
    watchClients: (count) => clients.set(count),
    sourceRecords: (source, count = 1) => records.inc({ source }, count),
    sourceLost: (source, count) => lost.inc({ source }, count),
    sourceDamaged: (source, count = 1) => damaged.inc({ source }, count),
    sourceHealthy: (source, ok) => healthy.set({ source }, ok ? 1 : 0),
    processTracking: (active) => tracking.set(active ? 1 : 0),
    processEventsLost: (count) => eventsLost.inc(count),
    configMapsSkipped: (count) => skippedConfigMaps.set(count),
    reconcileComplete: (complete) => reconcileComplete.set(complete ? 1 : 0),
  };
}

/** The metrics endpoint cannot be served as configured (bad address, port taken). */
export class MetricsServerError extends Error {
  override readonly name = 'MetricsServerError';
}

export interface MetricsServer {
  port: number;
  stop(): Promise<void>;
}

/** `HOST:PORT`, `[V6]:PORT` or `:PORT` (loopback). */
export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(listen.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) {
    throw new MetricsServerError(`metrics listen address "${listen}": expected HOST:PORT, [IPv6]:PORT or :PORT`);
  }
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

/** Serves /metrics (Prometheus text) and /healthz over plain HTTP. */
export async function startMetricsServer(listen: string, registry: Registry): Promise<MetricsServer> {
  const { host, port } = parseListen(listen);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (path === '/metrics') {
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(err)}\n`),
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new MetricsServerError(`metrics server cannot listen on ${listen}: ${err.message}`, { cause: err })));
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
