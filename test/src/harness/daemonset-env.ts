import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const DAEMONSET = fileURLToPath(new URL('../../../manifests/base/daemonset.yaml', import.meta.url));

interface EnvVar {
  name: string;
  value?: string;
}

/**
 * The NODE_OPTIONS the DaemonSet gives the agent (manifests/base/daemonset.yaml): agents started by
 * the tests and benchmarks run with the V8 settings a cluster runs them with, so that memory figures
 * are the deployed ones.
 */
export function daemonSetNodeOptions(): string {
  const ds = parse(readFileSync(DAEMONSET, 'utf8')) as { spec: { template: { spec: { containers: { name: string; env?: EnvVar[] }[] } } } };
  const agent = ds.spec.template.spec.containers.find((c) => c.name === 'agent');
  const value = agent?.env?.find((e) => e.name === 'NODE_OPTIONS')?.value;
  if (value === undefined) throw new Error(`${DAEMONSET}: the agent container has no NODE_OPTIONS value`);
  return value;
}
