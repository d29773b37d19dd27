import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { AgentError, createAgentClient, type AgentClient } from '@kubectl-seccomp/proto';
import type { AgentHandle, AgentReport, AgentTarget, ClusterFinding, ResolveOptions, TargetFlags, TargetSet } from '../targets/types.js';
import { clusterFindings } from './cluster-checks.js';
import { loadKubeConfig } from './config.js';
import { recordDesired } from './configmaps.js';
import { AGENT_POD_SELECTOR, matchAgents, type AgentPodRef } from './discovery.js';
import { forwardPort, type ForwardedPort } from './portforward.js';
import { readSeccompDefaults } from './configz.js';
import { apiDeadline } from './deadline.js';
import { profileReferences } from '../services/references.js';

/**
 * The Kubernetes path: agent pods found by label in --agent-namespace, matched to the selected
 * nodes, each reached through a port-forward on 127.0.0.1 (RBAC pods/portforward decides who may).
 */
export async function resolveKubeTargets(flags: TargetFlags, opts: ResolveOptions): Promise<TargetSet> {
  const kc = loadKubeConfig(flags);
  const core = kc.makeApiClient(CoreV1Api);
  opts.log(`kubernetes: context ${kc.getCurrentContext()}, agents in namespace ${flags.agentNamespace}`);
  const deadline = apiDeadline(flags.timeoutMs, opts.signal);
  const [nodes, pods] = await Promise.all([
    core.listNode({ labelSelector: flags.selector }, deadline),
    core.listNamespacedPod({ namespace: flags.agentNamespace, labelSelector: AGENT_POD_SELECTOR }, deadline),
  ]).catch((err: unknown) => {
    const why =
      /abort/i.test(String((err as Error)?.message)) && !opts.signal?.aborted ? `no answer within ${flags.timeoutMs} ms (--timeout)` : describeApiError(err);
    throw new AgentError('unavailable', `cannot read nodes and agent pods from the API server: ${why}`);
  });
  const match = matchAgents(nodes.items, pods.items, flags.node);
  const targets = match.agents.map((ref) => new PortForwardTarget(kc, ref, flags.timeoutMs));
  opts.log(`kubernetes: ${targets.length} agent(s), ${match.missing.length} node(s) without one`);
  return {
    targets,
    missing: match.missing,
    close: async () => {
      await Promise.all(targets.map((t) => t.dispose()));
    },
    clusterChecks: (signal, agents) => clusterChecks(core, targets, signal, opts, flags.timeoutMs, agents),
    recordDesired: async (profiles, o) => {
      const result = await recordDesired(kc, flags.agentNamespace, profiles, o);
      opts.log(`kubernetes: ConfigMaps created ${result.created.length}, updated ${result.updated.length}, deleted ${result.deleted.length}`);
      return { deleted: result.deleted };
    },
    profileReferences: async () => profileReferences((await core.listPodForAllNamespaces()).items),
  };
}

class PortForwardTarget implements AgentTarget {
  readonly via = 'port-forward' as const;
  readonly node: string;
  readonly endpoint: string;
  #connection?: Promise<{ forward: ForwardedPort; client: AgentClient }>;

  constructor(
    private readonly kc: KubeConfig,
    private readonly ref: AgentPodRef,
    private readonly timeoutMs: number,
  ) {
    this.node = ref.node;
    this.endpoint = `pod ${ref.namespace}/${ref.pod}`;
  }

  /** One local listener and one gRPC channel per node, shared by every open() of a command. */
  async open(): Promise<AgentHandle> {
    this.#connection ??= (async () => {
      const forward = await forwardPort(this.kc, this.ref.namespace, this.ref.pod, this.ref.port);
      return { forward, client: createAgentClient(forward.address, { connectTimeoutMs: this.timeoutMs }) };
    })();
    const { forward, client } = await this.#connection;
    return { api: withTunnelErrors(client, forward, this.endpoint), close: async () => {} };
  }

  async dispose(): Promise<void> {
    if (!this.#connection) return;
    const { forward, client } = await this.#connection;
    client.close();
    await forward.close();
  }
}

/** An unavailable agent behind a port-forward is usually a tunnel problem: say which. */
function withTunnelErrors(client: AgentClient, forward: ForwardedPort, endpoint: string): AgentClient {
  const explain = (err: unknown): never => {
    if (err instanceof AgentError && err.code === 'unavailable' && forward.lastError) {
      throw new AgentError('unavailable', `port-forward to ${endpoint} failed: ${forward.lastError}`, { cause: err });
    }
    throw err;
  };
  return {
    address: client.address,
    close: () => client.close(),
    doctor: (o) => client.doctor(o).catch(explain),
    listProfiles: (o) => client.listProfiles(o).catch(explain),
    syncProfiles: (r, o) => client.syncProfiles(r, o).catch(explain),
    watchViolations: (r, o) => client.watchViolations(r, o),
    version: (o) => client.version(o).catch(explain),
  };
}

async function clusterChecks(
  core: CoreV1Api,
  targets: PortForwardTarget[],
  signal: AbortSignal | undefined,
  opts: ResolveOptions,
  timeoutMs: number,
  agents: Promise<AgentReport[]> | undefined,
): Promise<ClusterFinding[]> {
  const deadline = apiDeadline(timeoutMs, signal);
  const [nodes, pods, namespaces] = await Promise.all([
    core.listNode({}, deadline),
    core.listPodForAllNamespaces({}, deadline),
    core.listNamespace({}, deadline),
  ]);
  const profiles = new Map<string, Set<string>>();
  await Promise.all(
    targets.map(async (t) => {
      try {
        const handle = await t.open();
        const list = await handle.api.listProfiles({ signal });
        profiles.set(t.node, new Set(list.profiles.filter((p) => !p.error).map((p) => p.path)));
      } catch (err) {
        opts.log(`kubernetes: cannot list profiles on ${t.node}: ${(err as Error).message}`);
      }
    }),
  );
  const seccompDefault = await readSeccompDefaults(core, nodes.items, opts.log);
  const reports = new Map((agents ? await agents : []).map((r) => [r.node, r]));
  return clusterFindings({ nodes: nodes.items, pods: pods.items, namespaces: namespaces.items, profiles, seccompDefault, agents: reports });
}

export function describeApiError(err: unknown): string {
  const e = err as { code?: number; body?: unknown; message?: string };
  if (typeof e.code === 'number') {
    const body = typeof e.body === 'string' ? safeJson(e.body) : e.body;
    const message = (body as { message?: string } | undefined)?.message;
    return `HTTP ${e.code}${message ? `: ${message}` : ''}`;
  }
  return e.message ?? String(err);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
