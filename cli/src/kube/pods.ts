import { CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { PodSelection, type PodLister, type PodRef } from '../services/watch/pod-selection.js';
import { loadKubeConfig } from './config.js';
import { apiDeadline } from './deadline.js';

const ref = (p: V1Pod): PodRef => ({ namespace: p.metadata?.namespace ?? '', name: p.metadata?.name ?? '', uid: p.metadata?.uid ?? '' });

/** Pods by label selector from the API server (which evaluates the selector); each call within `timeoutMs`. */
export function kubePodLister(kc: KubeConfig, timeoutMs: number): PodLister {
  const core = kc.makeApiClient(CoreV1Api);
  return {
    async list(selector, namespaces, only) {
      const deadline = apiDeadline(timeoutMs);
      if (only) {
        const one = await core.listNamespacedPod({ namespace: only.namespace, labelSelector: selector, fieldSelector: `metadata.name=${only.name}` }, deadline);
        return one.items.map(ref);
      }
      const lists =
        namespaces.length > 0
          ? await Promise.all(namespaces.map((namespace) => core.listNamespacedPod({ namespace, labelSelector: selector }, deadline)))
          : [await core.listPodForAllNamespaces({ labelSelector: selector }, deadline)];
      return lists.flatMap((l) => l.items.map(ref));
    },
  };
}

/** watch -l: the pods `selector` picks in `namespaces` (none: every namespace), from the kubeconfig's cluster. */
export function podSelection(flags: { kubeconfig?: string; context?: string; timeout: number }, selector: string, namespaces: readonly string[]): PodSelection {
  return new PodSelection(kubePodLister(loadKubeConfig(flags), flags.timeout), selector, namespaces);
}
