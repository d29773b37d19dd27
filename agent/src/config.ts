import { parseArgs } from 'node:util';
import { hostname } from 'node:os';
import type { LogLevel } from './log.js';

export type SourceName = 'kmsg' | 'journald' | 'auditlog' | 'netlink';
const SOURCE_NAMES: readonly SourceName[] = ['kmsg', 'journald', 'auditlog', 'netlink'];
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

export interface AgentConfig {
  /** gRPC listen address; loopback in the pod (reached through port-forward). */
  listen: string;
  hostRoot: string;
  /** Agent-visible profile dir; undefined = the kubelet's <root-dir>/seccomp under hostRoot. */
  profileDir?: string;
  /** The only dir under the profile dir the agent writes to; "" = anywhere in it. */
  writePrefix: string;
  nodeName: string;
  sources: 'auto' | SourceName[];
  /** auto: name processes from BPF events (seccomp-capture procs) when the node allows it; off: /proc only. */
  processTracking: 'auto' | 'off';
  captureHelper?: string | undefined;
  /** The audit relay's Unix socket (its own hostNetwork DaemonSet); the agent never joins the host network. */
  auditRelay?: string | undefined;
  /** A journal directory to read instead of the host's (journald with a non-standard Storage path). */
  journalDir?: string;
  /** Where the sources' places are kept across restarts (positions.json); undefined = start from now. */
  stateDir?: string;
  /** Prometheus /metrics; "" = off. */
  metricsListen: string;
  /** Plain-HTTP /healthz and /readyz for kubelet probes (the gRPC port is loopback only); "" = off. */
  healthListen: string;
  logLevel: LogLevel;
  /** "auto": in-cluster config when running in a pod, else none; "off": never talk to the API. */
  kube: 'auto' | 'off';
  kubeconfig?: string;
  /** Namespace of the profile ConfigMaps (the agent's own). */
  namespace: string;
  /** Full ConfigMap resync period: how soon a profile file deleted by hand comes back. */
  resyncMs: number;
  tlsCert?: string;
  tlsKey?: string;
  tlsClientCa?: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const USAGE = `Usage: seccomp-agent [options]

  --listen HOST:PORT         gRPC address (default 127.0.0.1:50051; port 0 picks one)
  --host-root DIR            where the host's / is mounted (default /host)
  --profile-dir DIR          profile dir as seen by the agent (default: <kubelet root-dir>/seccomp under --host-root)
  --write-prefix DIR         the only dir under the profile dir that pushes may write to (default kubectl-seccomp; "" = anywhere)
  --node-name NAME           this node's name (default $NODE_NAME, else the hostname)
  --sources LIST             auto, or a comma list of kmsg,journald,auditlog,netlink (default auto)
  --process-tracking MODE    auto or off: name processes from BPF fork/exec/exit events (default auto)
  --capture-helper PATH      the seccomp-capture binary (default: agent/native/build, then PATH)
  --audit-relay SOCKET       read the audit multicast group from this relay (seccomp-capture audit-relay)
  --journal-dir DIR          read this journal directory instead of the host's /var/log/journal and /run/log/journal
  --state-dir DIR            keep the sources' places here (kmsg sequence, journal cursor) and resume after them
                             on restart, so records logged while the agent was down are delivered (default off)
  --metrics-listen HOST:PORT Prometheus /metrics (default 127.0.0.1:9090; "" turns it off)
  --health-listen HOST:PORT  HTTP /healthz and /readyz for probes (default off)
  --kube auto|off            read pods and profile ConfigMaps from the API (default auto: in a pod)
  --kubeconfig FILE          use this kubeconfig instead of the in-cluster config
  --namespace NS             namespace of the profile ConfigMaps (default $POD_NAMESPACE, else kubectl-seccomp)
  --resync SECONDS           re-converge the profile dir on the ConfigMaps this often (default 300)
  --tls-cert FILE --tls-key FILE [--tls-client-ca FILE]   serve gRPC over TLS (mTLS with a client CA)
  --log-level LEVEL          debug, info, warn, error, silent (default info)
  --version                  print the agent's version and the Node.js it runs on, and exit
  -h, --help`;

/** Pure: argv + environment -> config; throws ConfigError naming the bad flag. */
export function parseAgentArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): AgentConfig | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        listen: { type: 'string', default: '127.0.0.1:50051' },
        'host-root': { type: 'string', default: '/host' },
        'profile-dir': { type: 'string' },
        'write-prefix': { type: 'string', default: 'kubectl-seccomp' },
        'node-name': { type: 'string' },
        sources: { type: 'string', default: 'auto' },
        'process-tracking': { type: 'string', default: 'auto' },
        'capture-helper': { type: 'string' },
        'audit-relay': { type: 'string' },
        'journal-dir': { type: 'string' },
        'state-dir': { type: 'string' },
        'metrics-listen': { type: 'string', default: '127.0.0.1:9090' },
        'health-listen': { type: 'string', default: '' },
        kube: { type: 'string', default: 'auto' },
        kubeconfig: { type: 'string' },
        namespace: { type: 'string' },
        resync: { type: 'string', default: '300' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'tls-client-ca': { type: 'string' },
        'log-level': { type: 'string', default: 'info' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  for (const flag of ['listen', 'metrics-listen', 'health-listen'] as const) {
    const value = v[flag];
    if (value && !/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(value)) {
      throw new ConfigError(`--${flag}: "${value}" is not HOST:PORT`);
    }
  }
  const logLevel = v['log-level'] as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`--log-level: "${logLevel}" is not one of ${LOG_LEVELS.join(', ')}`);
  }
  const processTracking = v['process-tracking'];
  if (processTracking !== 'auto' && processTracking !== 'off') throw new ConfigError(`--process-tracking: "${processTracking}" is not auto or off`);
  if (v.kube !== 'auto' && v.kube !== 'off') throw new ConfigError(`--kube: "${v.kube}" is not auto or off`);
  const resyncSeconds = Number(v.resync);
  if (!/^\d+(\.\d+)?$/.test(v.resync) || resyncSeconds < 1) {
    throw new ConfigError(`--resync: "${v.resync}" is not a number of seconds >= 1`);
  }
  if (Boolean(v['tls-cert']) !== Boolean(v['tls-key'])) {
    throw new ConfigError('--tls-cert and --tls-key go together');
  }
  return {
    listen: v.listen,
    hostRoot: v['host-root'],
    profileDir: v['profile-dir'],
    writePrefix: v['write-prefix'],
    nodeName: v['node-name'] || env.NODE_NAME || hostname(),
    sources: parseSources(v.sources),
    processTracking,
    captureHelper: v['capture-helper'],
    auditRelay: v['audit-relay'],
    journalDir: v['journal-dir'],
    stateDir: v['state-dir'] || undefined,
    metricsListen: v['metrics-listen'],
    healthListen: v['health-listen'],
    logLevel,
    kube: v.kube,
    kubeconfig: v.kubeconfig,
    namespace: v.namespace || env.POD_NAMESPACE || 'kubectl-seccomp',
    resyncMs: resyncSeconds * 1000,
    tlsCert: v['tls-cert'],
    tlsKey: v['tls-key'],
    tlsClientCa: v['tls-client-ca'],
  };
}

export function parseSources(text: string): 'auto' | SourceName[] {
  if (text === 'auto') return 'auto';
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new ConfigError('--sources: empty list');
  for (const name of names) {
    if (!SOURCE_NAMES.includes(name as SourceName)) {
      throw new ConfigError(`--sources: "${name}" is not one of auto, ${SOURCE_NAMES.join(', ')}`);
    }
  }
  return [...new Set(names)] as SourceName[];
}
