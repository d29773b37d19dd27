import type { NodeInfo, ProfileInfo } from '@kubectl-seccomp/proto';
import { parseProfile, renderForNode } from '@kubectl-seccomp/profiles';
import { localhostProfile } from '../push/plan.js';

/** ok: the node has the file, as recorded (or no version is recorded); the rest say what is wrong. */
export type NodeCopyStatus = 'ok' | 'missing' | 'different' | 'invalid';

export interface NodeCopy {
  status: NodeCopyStatus;
  /** The file on the node, relative to its profile dir ("" when missing). */
  path: string;
  sha256: string;
  /** The digest the recorded version has once rendered for this node ("" when none is recorded). */
  expected: string;
}

/** The localhostProfile a node's file is referenced by: its path when the profile dir is not under the kubelet's. */
export function referencedAs(info: NodeInfo, path: string): string {
  return localhostProfile(info, path) || path;
}

/** Whether a node holds the file a localhostProfile names, as the recorded version renders for it. */
export function nodeCopy(info: NodeInfo, files: readonly ProfileInfo[], wanted: string, recorded: ReadonlyMap<string, string>): NodeCopy {
  const file = files.find((f) => referencedAs(info, f.path) === wanted);
  if (!file) return { status: 'missing', path: '', sha256: '', expected: '' };
  const text = recorded.get(file.path);
  const parsed = text === undefined ? undefined : parseProfile(text, file.path);
  const expected = parsed?.ok ? renderForNode(parsed.profile, info).sha256 : '';
  const base = { path: file.path, sha256: file.sha256, expected };
  if (file.error) return { ...base, status: 'invalid' };
  return { ...base, status: expected && expected !== file.sha256 ? 'different' : 'ok' };
}
