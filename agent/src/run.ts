import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import { flattenTargetFor } from '@kubectl-seccomp/profiles';
import { serveAgent, type RunningServer } from '@kubectl-seccomp/proto';
import { defaultProfileDir, type CaptureFacts, type NodeEnvironment } from './checks/index.js';
import type { AgentConfig } from './config.js';
import type { PodResolver } from './violations/index.js';
import type { ReconcileStatus } from './reconcile/index.js';
import type { SigsysDeaths } from './violations/sigsys-deaths.js';
import type { Logger } from './log.js';
import { createAgentMetrics, parseListen, startMetricsServer, type MetricsServer } from './metrics.js';
import { AgentService } from './service.js';
import { PositionKeeper } from './state/index.js';
import { ProfileStore } from './store/index.js';
import { AGENT_VERSION } from './version.js';
import { ViolationPipeline } from './violations/index.js';
import { captureFacts, resolveSources } from './violations/sources/index.js';
import { startProcessTracking } from './violations/capture/index.js';

export interface RunningAgent {
  /** The bound gRPC address (the real port when --listen asked for port 0). */
  readonly address: string;
  stop(): Promise<void>;
}

/** Composes the agent from its config and starts everything; stop() undoes it in reverse. */
export async function runAgent(config: AgentConfig, log: Logger): Promise<RunningAgent> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) {
      await stop().catch((err: unknown) => log.warn({ err: String(err) }, 'error while stopping'));
    }
  };
  try {
    const profileDir = config.profileDir ?? (await defaultProfileDir(config.hostRoot));
    const captureMode: { facts?: CaptureFacts } = {};
    const env: NodeEnvironment = {
      hostRoot: config.hostRoot,
      profileDir,
      nodeName: config.nodeName,
      agentVersion: AGENT_VERSION,
      capture: () => captureMode.facts,
    };
    const store = new ProfileStore({ root: profileDir, log, writePrefix: config.writePrefix });
    await store.init();
    const metrics = createAgentMetrics({ version: AGENT_VERSION, nodeName: config.nodeName });

    const kubeConfig = await loadKube(config, log);
    let podResolver: PodResolver | undefined;
    let deaths: SigsysDeaths | undefined;
    if (kubeConfig) {
      const { KubePodResolver } = await import('./kube/pods.js');
      const resolver = new KubePodResolver({ kubeConfig, nodeName: config.nodeName, log });
      // start() waits for the first pod list: never hold up serving on a slow API server.
      void resolver.start();
      stops.push(() => resolver.stop());
      podResolver = resolver;
      deaths = resolver.deaths;
    } else log.info('no Kubernetes API: violations are reported without namespace/pod/container names');

    const helper = {
      ...(config.captureHelper ? { captureHelper: config.captureHelper } : {}),
      ...(config.auditRelay ? { auditRelay: config.auditRelay } : {}),
    };
    const { sources, choices } = await resolveSources(config.hostRoot, config.sources, {
      logger: log,
      ...helper,
      ...(config.journalDir ? { journalDirectory: config.journalDir } : {}),
    });
    for (const choice of choices) log.info({ source: choice.name, used: choice.used, reason: choice.reason }, 'violation source');
    const positions = config.stateDir ? await PositionKeeper.open({ dir: config.stateDir, hostRoot: config.hostRoot, logger: log }) : undefined;
    // Stopped after the pipeline (stops run in reverse): the last positions read are the ones saved.
    if (positions) stops.push(() => positions.stop());
    const { tracking, reason } = await startProcessTracking({
      hostRoot: config.hostRoot,
      mode: config.processTracking,
      helper: config.captureHelper,
      log,
      metrics,
    });
    log.info({ used: Boolean(tracking), reason }, 'process tracking');
    captureMode.facts = captureFacts(choices, { used: Boolean(tracking), reason });
    if (tracking) stops.push(() => tracking.stop());
    const pipeline = new ViolationPipeline({
      nodeName: config.nodeName,
      hostRoot: config.hostRoot,
      sources,
      podResolver,
      positions,
      deaths,
      log,
      metrics,
      ...(tracking ? { processes: tracking } : {}),
    });
    await pipeline.start({ sinceUnixMs: 0 });
    stops.push(() => pipeline.stop());

    const service = new AgentService({ env, store, violations: pipeline });
    if (kubeConfig) {
      const { startReconciler } = await import('./reconcile/index.js');
      const { ReadinessGate } = await import('./kube/readiness-taint.js');
      // The service's cached node facts: reading /proc and the runtime binaries once at start is enough.
      const target = flattenTargetFor(await service.nodeInfo());
      const onSkipped = (count: number): void => metrics.configMapsSkipped(count);
      const gate = new ReadinessGate({ kubeConfig, nodeName: config.nodeName, log });
      const onReconciled = (status: ReconcileStatus): void => {
        metrics.reconcileComplete(status.state === 'complete');
        if (status.state === 'complete') void gate.open();
      };
      const reconciler = startReconciler({ kubeConfig, namespace: config.namespace, resyncMs: config.resyncMs, store, target, log, onSkipped, onReconciled });
      env.skippedConfigMaps = () => reconciler.skipped();
      env.reconcile = () => ({ ...reconciler.status(), gate: gate.state() });
      stops.push(() => gate.stop());
      stops.push(() => reconciler.stop());
    }

    const tls = config.tlsCert ? { cert: config.tlsCert, key: config.tlsKey, ca: config.tlsClientCa } : undefined;
    const server = await serveAgent(service, config.listen, { tls });
    stops.push(() => server.stop(5000));

    if (config.metricsListen) {
      const m: MetricsServer = await startMetricsServer(config.metricsListen, metrics.registry);
      stops.push(() => m.stop());
      log.info({ address: `${parseListen(config.metricsListen).host}:${m.port}` }, 'metrics listening');
    }
    if (config.healthListen) {
      const h = await startHealthServer(config.healthListen, server);
      stops.push(h.stop);
      log.info({ address: h.address }, 'health listening');
    }
    log.info({ address: server.address, profileDir, node: config.nodeName, version: AGENT_VERSION, nodejs: process.versions.node }, 'listening');
    return { address: server.address, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** client-node costs tens of MB of resident memory: it is loaded only when there is an API to talk to. */
async function loadKube(config: AgentConfig, log: Logger): Promise<KubeConfig | undefined> {
  if (config.kube === 'off' || (!config.kubeconfig && !process.env.KUBERNETES_SERVICE_HOST)) return undefined;
  const { loadAgentKubeConfig } = await import('./kube/kubeconfig.js');
  const kc = loadAgentKubeConfig(config.kubeconfig);
  log.info({ server: kc.getCurrentCluster()?.server }, 'using the Kubernetes API');
  return kc;
}

/**
 * The gRPC port listens on loopback only (reached through port-forward), so kubelet probes get a
 * plain HTTP port of their own: /healthz is liveness, /readyz the gRPC health service's status, read
 * in-process (a loopback call would need the server's TLS client credentials).
 */
async function startHealthServer(listen: string, grpc: RunningServer): Promise<{ address: string; stop: () => Promise<void> }> {
  const { host, port } = parseListen(listen);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (path === '/readyz') {
      const status = grpc.health();
      res.writeHead(status === 'SERVING' ? 200 : 503, { 'content-type': 'text/plain' }).end(`${status}\n`);
    } else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const a = server.address() as AddressInfo;
  return {
    address: `${a.address}:${a.port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
