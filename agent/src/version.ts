import type { VersionResponse } from '@kubectl-seccomp/proto';

/** Kept equal to agent/package.json's version (a test checks it) so bundles need no package.json. */
export const AGENT_VERSION = '0.1.0';

/** This agent build and the Node.js running it. */
export function agentVersion(nodeName: string): VersionResponse {
  return { nodeName, agentVersion: AGENT_VERSION, nodejsVersion: process.versions.node, platform: `${process.platform}-${process.arch}` };
}

/** What `seccomp-agent --version` prints, in the form oclif gives the CLI's `--version`. */
export function versionLine(v: VersionResponse): string {
  return `seccomp-agent/${v.agentVersion} ${v.platform} node-v${v.nodejsVersion}`;
}
