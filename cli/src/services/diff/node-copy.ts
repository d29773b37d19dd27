import type { KubeConfig } from '@kubernetes/client-node';
import { parseProfile, renderForNode } from '@kubectl-seccomp/profiles';
import { UserError } from '../../errors.js';
import { readRecorded } from '../../kube/configmaps.js';
import type { TargetSet } from '../../targets/types.js';
import { referencedAs } from '../bind/node-copy.js';
import { fanOut, type FanOutOptions } from '../fanout.js';
import type { NodeProfileReader } from './sides.js';

/**
 * A node's copy of a profile (by its path or localhostProfile). The agent has no read RPC: its
 * listing gives the file's sha256, and the copy is the recorded version rendered for the node when
 * that digest matches; any other copy cannot be read and is refused, never guessed.
 */
export function nodeCopyReader(kc: KubeConfig, set: TargetSet, agentNamespace: string, opts: FanOutOptions): NodeProfileReader {
  return async (node, path) => {
    const target = set.targets.find((t) => t.node === node);
    if (!target)
      throw new UserError(
        `node/${node}: no agent to ask${set.missing.find((m) => m.node === node) ? ` (${set.missing.find((m) => m.node === node)!.reason})` : ''}`,
      );
    const [outcome] = await fanOut([target], (api, ctx) => api.listProfiles(ctx.call()), opts);
    if (!outcome!.ok) throw new UserError(`node/${node}: ${outcome!.failure.message}`);
    const { node: info, profiles } = outcome!.value;
    const file = profiles.find((p) => p.path === path) ?? profiles.find((p) => referencedAs(info, p.path) === path);
    if (!file) throw new UserError(`node/${node}:${path}: no such profile on the node`);
    const text = (await readRecorded(kc, agentNamespace)).get(file.path);
    const parsed = text === undefined ? undefined : parseProfile(text, file.path);
    const rendered = parsed?.ok ? renderForNode(parsed.profile, info) : undefined;
    if (!rendered || rendered.sha256 !== file.sha256) {
      throw new UserError(
        `node/${node}:${path}: the node's copy (sha256 ${file.sha256.slice(0, 12)}) is not the recorded version, and the agent cannot send a file's bytes`,
      );
    }
    return rendered.text;
  };
}
