import { KubeConfig } from '@kubernetes/client-node';

/**
 * The API's configuration: a file, or the pod's service account. client-node is reached only through
 * static imports of modules like this one, themselves imported on demand: a bundler can then drop
 * the parts of client-node the agent never calls (half of it), which it cannot do for an import()
 * of the package itself.
 */
export function loadAgentKubeConfig(file: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  if (file) kc.loadFromFile(file);
  else kc.loadFromCluster();
  return kc;
}
