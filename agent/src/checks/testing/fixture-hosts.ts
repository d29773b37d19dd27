import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { NodeEnvironment } from '../read-facts.js';

/** The fixture host roots in agent/fixtures/hosts, as an agent would be pointed at them. */
export function fixtureEnv(name: 'healthy' | 'broken'): NodeEnvironment {
  const hostRoot = fileURLToPath(new URL(`../../../fixtures/hosts/${name}`, import.meta.url));
  return {
    hostRoot,
    profileDir: path.join(hostRoot, 'var/lib/kubelet/seccomp'),
    nodeName: `node-${name}`,
    agentVersion: '0.1.0',
    // A node whose reconciler applied every ConfigMap.
    skippedConfigMaps: () => [],
    reconcile: () => ({ state: 'complete', problems: [], everComplete: true, gate: { state: 'removed' } }),
    runCommand: () => Promise.reject(new Error('host binaries must not be executed under a host root')),
    // The agent's own journalctl, made deterministic: the healthy node's stand-in, none for the broken one.
    journalctl: path.join(hostRoot, name === 'healthy' ? 'usr/bin/journalctl' : 'no/journalctl'),
  };
}
