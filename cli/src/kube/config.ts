import { KubeConfig } from '@kubernetes/client-node';
import { UserError } from '../errors.js';

/** Loads kubeconfig the way kubectl does: --kubeconfig, else $KUBECONFIG, else ~/.kube/config; then --context. */
export function loadKubeConfig(opts: { kubeconfig?: string; context?: string }): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    throw new UserError(`cannot load kubeconfig${opts.kubeconfig ? ` ${opts.kubeconfig}` : ''}: ${(err as Error).message}`);
  }
  if (opts.context) {
    if (!kc.getContextObject(opts.context)) {
      throw new UserError(`context "${opts.context}" is not in the kubeconfig (have: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    }
    kc.setCurrentContext(opts.context);
  }
  if (!kc.getCurrentCluster()) {
    throw new UserError(
      'no cluster in the current kubeconfig context: set one with --context or `kubectl config use-context`, or use --agent HOST:PORT / --local',
    );
  }
  return kc;
}
