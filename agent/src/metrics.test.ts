import type { Violation } from '@kubectl-seccomp/proto';
import { expect } from 'chai';
import { createAgentMetrics, MetricsServerError, OVERFLOW_LABEL, parseListen, startMetricsServer, type MetricsServer } from './metrics.js';
import { silentLogger } from './log.js';
import { ViolationPipeline } from './violations/pipeline.js';
import { FakeSource, kmsgText, violationOf } from './violations/testing/fakes.js';

const violation = (pod: string): Violation => violationOf({ node: 'worker-1', pod });

describe('metrics', () => {
  let server: MetricsServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  const scrape = async (path: string): Promise<{ status: number; body: string }> => {
    const res = await fetch(`http://127.0.0.1:${server!.port}${path}`);
    return { status: res.status, body: await res.text() };
  };

  it('serves the pipeline counters on /metrics for Prometheus', async () => {
    const metrics = createAgentMetrics({ version: '0.1.0', nodeName: 'worker-1' });
    const kmsg = new FakeSource('kmsg');
    const pipeline = new ViolationPipeline({
      nodeName: 'worker-1',
      hostRoot: '/nonexistent',
      sources: [kmsg],
      log: silentLogger,
      metrics,
    });
    try {
      await pipeline.start({ sinceUnixMs: 0 });
      const ac = new AbortController();
      const it = pipeline
        .watch({ filter: { namespaces: [], pods: [], containers: [], syscalls: [], actions: [] }, sinceUnixMs: 0, statsIntervalMs: 0, maxQueue: 1 }, ac.signal)
        [Symbol.asyncIterator]();
      await it.next();
      const raw = (text: string) => ({ source: 'kmsg' as const, kind: 'kmsg' as const, text, seq: 0, usec: 0 });
      kmsg.sink!.record(raw(kmsgText(1)));
      kmsg.sink!.record(raw(kmsgText(1)));
      kmsg.sink!.record(raw(kmsgText(2, 100, 165, '0x80000000')));
      kmsg.sink!.record(raw('kauditd_printk_skb: 4 callbacks suppressed'));
      kmsg.sink!.record(raw('audit: type=1326 audit(1.000:9): pid=1'));
      server = await startMetricsServer('127.0.0.1:0', metrics.registry);
      const { status, body } = await scrape('/metrics');
      ac.abort();
      expect(status).to.equal(200);
      expect(body).to.include('violations_total{namespace="",pod="",container="",syscall="mkdir",action="SCMP_ACT_LOG",node="worker-1"} 1');
      expect(body).to.include('violations_total{namespace="",pod="",container="",syscall="mount",action="SCMP_ACT_KILL_PROCESS",node="worker-1"} 1');
      expect(body).to.include('source_records_total{source="kmsg"} 3');
      expect(body).to.include('source_lost_records_total{source="kmsg"} 4');
      expect(body).to.include('source_damaged_records_total{source="kmsg"} 1');
      expect(body).to.include('source_healthy{source="kmsg"} 1');
      expect(body).to.include('watch_dropped_events_total 1');
      expect(body).to.include('watch_clients 1');
      expect(body).to.include('seccomp_agent_build_info{version="0.1.0"} 1');
    } finally {
      await pipeline.stop();
    }
  });

  it('answers /healthz, and 404 elsewhere', async () => {
    server = await startMetricsServer(':0', createAgentMetrics({ version: '0.1.0', nodeName: 'n' }).registry);
    expect(await scrape('/healthz')).to.deep.equal({ status: 200, body: 'ok\n' });
    expect((await scrape('/nope')).status).to.equal(404);
  });

  it('says whether the last reconcile was complete (0 until one is)', async () => {
    const metrics = createAgentMetrics({ version: '0.1.0', nodeName: 'n' });
    expect(await metrics.registry.metrics()).to.include('\nprofiles_reconcile_complete 0\n');
    metrics.reconcileComplete(true);
    expect(await metrics.registry.metrics()).to.include('\nprofiles_reconcile_complete 1\n');
    metrics.reconcileComplete(false);
    expect(await metrics.registry.metrics()).to.include('\nprofiles_reconcile_complete 0\n');
  });

  it('bounds the number of pod/container series', async () => {
    const metrics = createAgentMetrics({ version: '0.1.0', nodeName: 'worker-1', maxViolationSeries: 2 });
    for (const pod of ['a', 'b', 'c', 'd', 'a']) metrics.violation(violation(pod));
    const body = await metrics.registry.metrics();
    expect(body).to.include('pod="a",container="app",syscall="mkdir",action="SCMP_ACT_LOG",node="worker-1"} 2');
    expect(body).to.include(`pod="${OVERFLOW_LABEL}",container="${OVERFLOW_LABEL}",syscall="mkdir",action="SCMP_ACT_LOG",node="worker-1"} 2`);
    expect(body).not.to.include('pod="c"');
  });

  it('says which address it cannot listen on', async () => {
    const registry = createAgentMetrics({ version: '0.1.0', nodeName: 'n' }).registry;
    server = await startMetricsServer('127.0.0.1:0', registry);
    const taken = `127.0.0.1:${server.port}`;
    const err = await startMetricsServer(taken, registry).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(MetricsServerError);
    expect((err as Error).message).to.include(taken);
  });

  it('reads listen addresses and rejects bad ones by name', () => {
    expect(parseListen('127.0.0.1:9090')).to.deep.equal({ host: '127.0.0.1', port: 9090 });
    expect(parseListen(':9090')).to.deep.equal({ host: '127.0.0.1', port: 9090 });
    expect(parseListen('[::1]:9090')).to.deep.equal({ host: '::1', port: 9090 });
    expect(() => parseListen('9090')).to.throw(/metrics listen address "9090"/);
    expect(() => parseListen('host:70000')).to.throw(/HOST:PORT/);
  });
});
