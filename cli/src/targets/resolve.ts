import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { distinctNodes, parseAgentSpecs, type AgentSpec } from './agent-spec.js';
import { readAgentsFile } from './agents-file.js';
import { directTarget } from './direct.js';
import { localTarget } from './local.js';
import type { AgentTarget, MissingAgent, ResolveOptions, TargetFlags, TargetSet } from './types.js';

type KubeResolver = (flags: TargetFlags, opts: ResolveOptions) => Promise<TargetSet>;

/**
 * The nodes a command talks to: this machine (--local), the agents given (--agent, --agents-file), or the agent
 * pods of the selected nodes of the current Kubernetes context.
 */
export async function resolveTargets(flags: TargetFlags, opts: ResolveOptions): Promise<TargetSet> {
  // --node-selector needs node labels, which only the Kubernetes API has.
  const direct = flags.agentsFile !== undefined ? '--agents-file' : flags.agent.length > 0 && '--agent';
  const modes = [flags.local && '--local', direct, flags.selector !== undefined && '--node-selector'].filter((m): m is string => typeof m === 'string');
  if (modes.length > 1) throw new UserError(`${modes.join(' and ')} cannot be used together`);
  if (flags.local) return resolveLocal(flags);
  if (direct) return resolveDirect(flags);
  return (await loadKubeResolver())(flags, opts);
}

function resolveLocal(flags: TargetFlags): TargetSet {
  if (flags.node.length > 0) throw new UserError('--node selects cluster nodes; --local is this machine only');
  // A mistyped --host-root would otherwise surface as checks' verdicts ("no seccomp support in the kernel").
  if (flags.hostRoot !== undefined && !existsSync(join(flags.hostRoot, 'proc', 'sys', 'kernel'))) {
    throw new UserError(`--host-root ${flags.hostRoot} does not look like a host's root: it has no proc/sys/kernel (mount the host's / there, with its /proc)`);
  }
  return staticSet([localTarget(flags)], []);
}

async function resolveDirect(flags: TargetFlags): Promise<TargetSet> {
  let specs: AgentSpec[];
  try {
    const listed = flags.agentsFile !== undefined ? await readAgentsFile(flags.agentsFile) : [];
    specs = distinctNodes([...parseAgentSpecs(flags.agent), ...listed]);
  } catch (err) {
    throw new UserError((err as Error).message);
  }
  const targets = specs.map((spec) => directTarget(spec, flags));
  if (flags.node.length === 0) return staticSet(targets, []);
  const wanted = new Set(flags.node);
  const missing = flags.node
    .filter((node) => !targets.some((t) => t.node === node))
    .map((node) => ({ node, reason: 'not among the agents given (name one with --agent NODE=HOST:PORT)' }));
  return staticSet(
    targets.filter((t) => wanted.has(t.node)),
    missing,
  );
}

function staticSet(targets: AgentTarget[], missing: MissingAgent[]): TargetSet {
  return { targets, missing, close: async () => {} };
}

// The Kubernetes path (client-node is heavy) is loaded only when it is used.
async function loadKubeResolver(): Promise<KubeResolver> {
  return (await import('../kube/targets.js')).resolveKubeTargets;
}
