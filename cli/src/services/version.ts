import type { VersionResponse } from '@kubectl-seccomp/proto';
import type { ClientVersion, VersionNode, VersionOutput } from '../output/types.js';
import type { MissingAgent, TargetSet } from '../targets/types.js';
import { fanOut, type FanOutOptions, type NodeOutcome } from './fanout.js';
import { missingHeader, nodeHeader } from './node-report.js';

/** The CLI itself: its version and the Node.js running it. */
export function clientVersion(version: string): ClientVersion {
  return { version, nodejsVersion: process.versions.node, platform: `${process.platform}-${process.arch}` };
}

/** Every selected agent's version. */
export async function runVersion(client: ClientVersion, set: TargetSet, opts: FanOutOptions): Promise<VersionOutput> {
  const outcomes = await fanOut(set.targets, (api, ctx) => api.version(ctx.call()), opts);
  return versionReport(client, outcomes, set.missing);
}

export function versionReport(client: ClientVersion, outcomes: NodeOutcome<VersionResponse>[], missing: MissingAgent[]): VersionOutput {
  const agents = outcomes.map((o): VersionNode => {
    if (o.ok) return { ...nodeHeader(o), agent: o.value };
    const header = nodeHeader(o);
    // An agent that predates the call answers, just not this question.
    if (o.failure.code === 'unimplemented') {
      return { ...header, error: { ...o.failure, message: 'this agent is older than the Version call: upgrade it to see its version' } };
    }
    return header;
  });
  return { client, agents: [...agents, ...missing.map((m): VersionNode => missingHeader(m))] };
}

/** 0 when every agent answered, 2 when one could not be asked (as doctor). */
export function versionExitCode(out: VersionOutput): number {
  return out.agents.some((a) => a.status !== 'ok') ? 2 : 0;
}
