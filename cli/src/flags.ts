import * as Flags from '@oclif/core/flags';
import { parseDurationMs } from './duration.js';
import type { TargetFlags } from './targets/types.js';

const TARGET = 'TARGET';
const KUBE = 'KUBERNETES';

/** The TLS flags apply to agents dialled directly, given either way. */
const DIRECT = { type: 'some' as const, flags: ['agent', 'agents-file'] };

/** A flag taking a duration (10s, 1m30s, a bare number of seconds) as ms. */
export const durationFlag = Flags.custom<number>({
  parse: async (input) => parseDurationMs(input),
});

/** Which nodes to talk to and how to reach their agents: spread into every node command. */
export const targetFlags = {
  agent: Flags.string({
    description: 'Dial an agent directly instead of through Kubernetes: HOST:PORT, or NODE=HOST:PORT to name the node. Repeatable.',
    multiple: true,
    // One value per --agent, so that `push --agent A PATH` leaves PATH to the arguments.
    multipleNonGreedy: true,
    helpGroup: TARGET,
    exclusive: ['local'],
  }),
  'agents-file': Flags.string({
    description: 'More agents to dial, one --agent value per line (# comments), from FILE or "-" for stdin.',
    helpGroup: TARGET,
    exclusive: ['local'],
  }),
  'tls-ca': Flags.string({ description: 'CA bundle to verify --agent servers (enables TLS).', helpGroup: TARGET, relationships: [DIRECT] }),
  'tls-cert': Flags.string({ description: 'Client certificate for --agent (mTLS).', helpGroup: TARGET, dependsOn: ['tls-key'], relationships: [DIRECT] }),
  'tls-key': Flags.string({ description: 'Client key for --agent (mTLS).', helpGroup: TARGET, dependsOn: ['tls-cert'], relationships: [DIRECT] }),
  local: Flags.boolean({
    description: 'No cluster: run the agent code in-process against this machine.',
    helpGroup: TARGET,
    exclusive: ['agent', 'agents-file'],
  }),
  'host-root': Flags.string({ description: 'With --local: where the host filesystem is. [default: /]', helpGroup: TARGET, dependsOn: ['local'] }),
  'profile-dir': Flags.string({
    description: "With --local: the profile dir to use. [default: the kubelet's <root-dir>/seccomp]",
    helpGroup: TARGET,
    dependsOn: ['local'],
  }),
  kubeconfig: Flags.string({ description: 'Path to the kubeconfig file (KUBECONFIG is honoured like kubectl).', helpGroup: KUBE }),
  context: Flags.string({ description: 'The kubeconfig context to use.', helpGroup: KUBE }),
  'agent-namespace': Flags.string({ description: 'Namespace of the agent DaemonSet.', default: 'kubectl-seccomp', helpGroup: KUBE }),
  node: Flags.string({ description: 'Only this node (repeatable).', multiple: true, multipleNonGreedy: true, helpGroup: TARGET }),
  // One spelling for nodes everywhere; -l too where nodes are what the command lists (watch's -l
  // selects pods, as kubectl's selects the objects listed).
  'node-selector': Flags.string({
    char: 'l',
    aliases: ['selector'],
    description: 'Only nodes with these labels (e.g. -l kubernetes.io/os=linux).',
    helpGroup: KUBE,
  }),
  // Enough in flight to keep the CLI busy through port-forward round trips, without opening more
  // port-forwards at once than that needs (measured in docs/performance.md).
  concurrency: Flags.integer({ description: 'Nodes talked to at once.', default: 32, min: 1, helpGroup: TARGET }),
  timeout: durationFlag({ description: 'Time allowed per node (e.g. 10s, 1m).', default: 30_000, defaultHelp: async () => '30s', helpGroup: TARGET }),
  verbose: Flags.boolean({ description: 'Diagnostics on stderr.' }),
};

export const outputFlag = Flags.option({
  char: 'o',
  description: 'Output format.',
  options: ['table', 'json', 'yaml'] as const,
  default: 'table' as const,
})();

/** -o for reports with more to show on request: wide is the table with every detail. */
export const wideOutputFlag = Flags.option({
  char: 'o',
  description: 'Output format (wide: the table with every detail).',
  options: ['table', 'wide', 'json', 'yaml'] as const,
  default: 'table' as const,
})();

export const noColorFlag = Flags.boolean({ description: 'No colour (neither when NO_COLOR is set or the output is not a terminal).' });

export const strictFlag = Flags.boolean({ description: 'Treat warnings as failures.' });

interface ParsedTargetFlags {
  agent?: string[];
  'agents-file'?: string;
  'tls-ca'?: string;
  'tls-cert'?: string;
  'tls-key'?: string;
  local: boolean;
  'host-root'?: string;
  'profile-dir'?: string;
  kubeconfig?: string;
  context?: string;
  'agent-namespace': string;
  node?: string[];
  'node-selector'?: string;
  timeout: number;
}

export function toTargetFlags(f: ParsedTargetFlags): TargetFlags {
  const tlsGiven = f['tls-ca'] !== undefined || f['tls-cert'] !== undefined;
  return {
    agent: f.agent ?? [],
    agentsFile: f['agents-file'],
    local: f.local === true,
    kubeconfig: f.kubeconfig,
    context: f.context,
    node: f.node ?? [],
    selector: f['node-selector'],
    agentNamespace: f['agent-namespace'],
    hostRoot: f['host-root'],
    profileDir: f['profile-dir'],
    timeoutMs: f.timeout,
    tls: tlsGiven ? { ca: f['tls-ca'], cert: f['tls-cert'], key: f['tls-key'] } : undefined,
  };
}
