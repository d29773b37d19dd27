import type {
  AgentApi,
  CallOptions,
  DoctorResponse,
  ListProfilesResponse,
  NodeInfo,
  SyncProfilesRequest,
  SyncProfilesResponse,
  VersionResponse,
  WatchEvent,
  WatchViolationsRequest,
} from '@kubectl-seccomp/proto';
import { doctor, nodeInfo, readNodeFacts, type NodeEnvironment } from './checks/index.js';
import type { ProfileStore } from './store/index.js';
import { agentVersion } from './version.js';

/** Node facts change rarely (kubelet restart, runtime upgrade); re-reading /proc on every list/sync is waste. */
const NODE_INFO_TTL_MS = 30_000;

/** Where watches are served from: the ViolationPipeline, or a lazy wrapper around one (--local). */
export interface ViolationFeed {
  watch(req: WatchViolationsRequest, signal?: AbortSignal): AsyncIterable<WatchEvent>;
}

export interface AgentServiceDeps {
  env: NodeEnvironment;
  store: ProfileStore;
  violations: ViolationFeed;
}

/** The agent's RPCs over its parts; transport-free, so gRPC and --local serve the same code. */
export class AgentService implements AgentApi {
  #info?: { value: NodeInfo; at: number };

  constructor(private readonly deps: AgentServiceDeps) {}

  async doctor(_opts?: CallOptions): Promise<DoctorResponse> {
    const response = await doctor(this.deps.env);
    this.#info = { value: response.node, at: Date.now() };
    return response;
  }

  async listProfiles(_opts?: CallOptions): Promise<ListProfilesResponse> {
    const [node, profiles] = await Promise.all([this.nodeInfo(), this.deps.store.list()]);
    return { node, profiles };
  }

  async syncProfiles(req: SyncProfilesRequest, _opts?: CallOptions): Promise<SyncProfilesResponse> {
    const results = await this.deps.store.sync(req);
    return { node: await this.nodeInfo(), results, dryRun: req.dryRun };
  }

  watchViolations(req: WatchViolationsRequest, opts?: CallOptions): AsyncIterable<WatchEvent> {
    return this.deps.violations.watch(req, opts?.signal);
  }

  async version(_opts?: CallOptions): Promise<VersionResponse> {
    return agentVersion(this.deps.env.nodeName);
  }

  /** What the node is, re-read from the host at most every NODE_INFO_TTL_MS. */
  async nodeInfo(): Promise<NodeInfo> {
    if (!this.#info || Date.now() - this.#info.at > NODE_INFO_TTL_MS) {
      this.#info = { value: nodeInfo(await readNodeFacts(this.deps.env)), at: Date.now() };
    }
    return this.#info.value;
  }
}
