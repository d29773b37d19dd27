import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { namespace, node, pod, TestApiServer, type KubeObject } from './apiserver/index.js';
import { startAgentProcess, type AgentProcess } from './agent-process.js';

/**
 * A "test cluster" on this one machine: a TestApiServer holding nodes, and for each agent node a
 * real seccomp-agent process (real /proc and /dev/kmsg: --host-root /, its own temp profile dir)
 * registered as a ready agent pod whose port-forward lands on the agent's real gRPC port. The agents
 * talk to the same API server (--kube auto --kubeconfig), so they name pods and reconcile ConfigMaps
 * as they would in a cluster. The CLI is the built `cli/bin/run.js`, run against its kubeconfig.
 */

export const CLI_BIN = fileURLToPath(new URL('../../../cli/bin/run.js', import.meta.url));
export const AGENT_NAMESPACE = 'kubectl-seccomp';
/** The agent pod's gRPC container port as the DaemonSet declares it (what port-forward targets). */
export const AGENT_POD_PORT = 50051;

export interface ClusterOptions {
  /** Nodes running an agent. */
  agentNodes: string[];
  /** Nodes without one. */
  bareNodes?: string[];
  /** Namespaces to create besides the agent namespace. */
  namespaces?: string[];
  /** Extra agent flags (default: --sources kmsg, the one log every agent here shares; --resync 2). */
  agentArgs?: string[];
  /** Runs once the nodes and namespaces exist, before any agent starts (taint nodes, record ConfigMaps). */
  prepare?: (api: TestApiServer) => void | Promise<void>;
  /** Runs for each agent node on its fresh profile dir, before its agent starts. */
  prepareNode?: (node: string, profileDir: string) => void | Promise<void>;
}

export interface ClusterAgent {
  readonly node: string;
  readonly pod: string;
  readonly profileDir: string;
  /** The current process; replaced by restartAgent(). */
  process: AgentProcess;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A CLI process whose stdout is read line by line while it runs (watch). */
export interface RunningCli {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly stderr: () => string;
  /**
   * Resolves once some line satisfies match; rejects, naming `what` and the CLI's stderr, when the CLI
   * exits first or nothing matched within timeoutMs (default 30 s: a bound, not a speed requirement).
   */
  waitForLine(match: (line: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  readonly exited: Promise<CliResult>;
  /** SIGINT (the way a user stops watch), then SIGKILL if it lingers. */
  stop(): Promise<CliResult>;
}

export class TestCluster {
  readonly agents = new Map<string, ClusterAgent>();
  readonly #clis = new Set<RunningCli>();
  readonly #temps: string[] = [];

  private constructor(
    readonly api: TestApiServer,
    readonly kubeconfig: string,
    private readonly agentArgs: string[],
  ) {}

  /** Everything started is stopped again when a later step fails. */
  static async start(opts: ClusterOptions): Promise<TestCluster> {
    const api = await TestApiServer.start();
    let cluster: TestCluster | undefined;
    try {
      const kubeconfig = await api.writeKubeconfig();
      cluster = new TestCluster(api, kubeconfig, opts.agentArgs ?? ['--sources', 'kmsg', '--resync', '2']);
      api.apply(namespace(AGENT_NAMESPACE));
      for (const ns of opts.namespaces ?? []) api.apply(namespace(ns));
      for (const name of [...opts.agentNodes, ...(opts.bareNodes ?? [])]) api.apply(node(name));
      await opts.prepare?.(api);
      const c = cluster;
      const started = await Promise.allSettled(opts.agentNodes.map((name) => c.#addAgent(name, opts.prepareNode)));
      const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      return cluster;
    } catch (err) {
      if (cluster) await cluster.stop();
      else await api.stop();
      throw err;
    }
  }

  agent(nodeName: string): ClusterAgent {
    const agent = this.agents.get(nodeName);
    if (!agent) throw new Error(`no agent on node ${nodeName} in this test cluster`);
    return agent;
  }

  async #addAgent(nodeName: string, prepareNode?: ClusterOptions['prepareNode']): Promise<void> {
    const profileDir = await mkdtemp(join(tmpdir(), `kseccomp-e2e-${nodeName}-`));
    this.#temps.push(profileDir);
    await prepareNode?.(nodeName, profileDir);
    const podName = `seccomp-agent-${nodeName}`;
    this.api.apply(
      pod(podName, {
        namespace: AGENT_NAMESPACE,
        node: nodeName,
        labels: { 'app.kubernetes.io/name': 'seccomp-agent' },
        ports: [{ name: 'grpc', containerPort: AGENT_POD_PORT }],
        containers: { agent: '' },
      }),
    );
    const agent: ClusterAgent = { node: nodeName, pod: podName, profileDir, process: await this.#startProcess(nodeName, profileDir) };
    this.agents.set(nodeName, agent);
    this.#route(agent);
  }

  #startProcess(nodeName: string, profileDir: string): Promise<AgentProcess> {
    return startAgentProcess([
      '--host-root',
      '/',
      '--profile-dir',
      profileDir,
      '--node-name',
      nodeName,
      '--kube',
      'auto',
      '--kubeconfig',
      this.kubeconfig,
      '--namespace',
      AGENT_NAMESPACE,
      ...this.agentArgs,
    ]);
  }

  #route(agent: ClusterAgent): void {
    const port = Number(agent.process.address.slice(agent.process.address.lastIndexOf(':') + 1));
    this.api.routePortForward(AGENT_NAMESPACE, agent.pod, AGENT_POD_PORT, { host: '127.0.0.1', port });
  }

  /** Starts a new agent process for the node (the pod restarted): same profile dir, new port. */
  async restartAgent(nodeName: string, how: 'term' | 'kill' = 'term'): Promise<ClusterAgent> {
    const agent = this.agent(nodeName);
    if (how === 'kill') await agent.process.kill();
    else await agent.process.stop();
    agent.process = await this.#startProcess(nodeName, agent.profileDir);
    this.#route(agent);
    return agent;
  }

  /** Puts a workload pod in the API server (e.g. one naming a runc container by its ID). */
  apply(object: KubeObject): KubeObject {
    return this.api.apply(object);
  }

  cliArgs(args: string[]): string[] {
    return [CLI_BIN, ...args, '--kubeconfig', this.kubeconfig];
  }

  /** Runs the CLI to its end. */
  async cli(args: string[], opts: { timeoutMs?: number } = {}): Promise<CliResult> {
    const running = this.spawnCli(args);
    const timeoutMs = opts.timeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const outcome = await Promise.race([running.exited, timedOut]);
      if (outcome === 'timeout') {
        const partial = await running.stop();
        throw new Error(`kubectl-seccomp ${args.join(' ')} still running after ${timeoutMs} ms; stderr: ${partial.stderr}`);
      }
      return outcome;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Starts the CLI and reads its stdout as lines while it runs; stop() it in an after hook. */
  spawnCli(args: string[]): RunningCli {
    const running = spawnCli(this.cliArgs(args));
    this.#clis.add(running);
    void running.exited.then(() => this.#clis.delete(running));
    return running;
  }

  /** Stops CLIs and agents (each by its pid: SIGTERM, then SIGKILL), the API server, temp dirs. */
  async stop(): Promise<void> {
    try {
      await Promise.all([...this.#clis].map((c) => c.stop()));
      await Promise.all([...this.agents.values()].map((a) => a.process.stop(5000)));
    } finally {
      await this.api.stop();
      await Promise.all(this.#temps.map((dir) => rm(dir, { recursive: true, force: true })));
    }
  }
}

/** Starts the CLI (`argv`: the script and its arguments) and reads its stdout as lines while it runs. */
export function spawnCli(argv: string[]): RunningCli {
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const lines: string[] = [];
  let stdout = '';
  let stderr = '';
  let waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    waiters = waiters.filter((w) => {
      if (!w.match(line)) return true;
      w.resolve(line);
      return false;
    });
  });
  const exited = new Promise<CliResult>((resolve) => {
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : null), stdout, stderr }));
  });
  const running: RunningCli = {
    child,
    lines,
    stderr: () => stderr,
    waitForLine: (match, what, timeoutMs = 30_000) => {
      const found = lines.find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w.match !== match);
          reject(new Error(`no ${what} from kubectl-seccomp within ${timeoutMs} ms; ${lines.length} stdout lines; stderr: ${stderr}`));
        }, timeoutMs);
        waiters.push({
          match,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then((r) => {
          clearTimeout(timer);
          reject(new Error(`kubectl-seccomp exited (${r.code}) before ${what}; stdout: ${r.stdout}; stderr: ${r.stderr}`));
        });
      });
    },
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        void exited.finally(() => clearTimeout(timer));
      }
      return exited;
    },
  };
  return running;
}
