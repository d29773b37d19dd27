import { KubeConfig } from '@kubernetes/client-node';
import { UserError } from '../errors.js';
import { firstByName, kubeconfigFiles } from './kubeconfig-files.js';

const NO_CLUSTER_HINT = 'use --local to check this machine, or --agent HOST:PORT to dial agents directly';

/** Loads kubeconfig the way kubectl does: --kubeconfig, else $KUBECONFIG (merged), else ~/.kube/config, else in-cluster; then --context. */
export function loadKubeConfig(opts: { kubeconfig?: string; context?: string }): KubeConfig {
  const kc = readKubeConfig(opts.kubeconfig);
  if (opts.context) {
    if (!kc.getContextObject(opts.context)) {
      throw new UserError(
        `context "${opts.context}" is not in the kubeconfig (have: ${
          kc
            .getContexts()
            .map((c) => c.name)
            .join(', ') || 'none'
        })`,
      );
    }
    kc.setCurrentContext(opts.context);
  }
  if (!kc.getCurrentCluster()) {
    throw new UserError(`no cluster in the current kubeconfig context: set one with --context or \`kubectl config use-context\`, or ${NO_CLUSTER_HINT}`);
  }
  return kc;
}

function readKubeConfig(explicit: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  const files = kubeconfigFiles(explicit);
  if (files.length === 0) {
    if (process.env.KUBERNETES_SERVICE_HOST) {
      kc.loadFromCluster();
      return kc;
    }
    const why = process.env.KUBECONFIG ? 'none of the KUBECONFIG files exists' : 'KUBECONFIG is unset and there is no ~/.kube/config';
    throw new UserError(`no kubeconfig (${why}): ${NO_CLUSTER_HINT}`);
  }
  // Each file on its own (its relative paths resolved against it), then merged as kubectl does.
  const each = files.map((file) => {
    const one = new KubeConfig();
    try {
      one.loadFromFile(file);
    } catch (err) {
      throw new UserError(`cannot load kubeconfig ${file}: ${(err as Error).message}`);
    }
    return one;
  });
  kc.loadFromOptions({
    clusters: firstByName(each.map((k) => k.clusters)),
    users: firstByName(each.map((k) => k.users)),
    contexts: firstByName(each.map((k) => k.contexts)),
    currentContext: each.map((k) => k.currentContext).find((c) => c !== '' && c !== undefined) ?? '',
  });
  return kc;
}
