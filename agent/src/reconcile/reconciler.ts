/**
 * Keeps this node's profile dir converged on the profile ConfigMaps: syncs once the informer has
 * its first list, on every change (debounced), and periodically to repair files deleted by hand.
 * Thin on purpose: the decisions are in plan.ts.
 */
import type { FlattenTarget } from '@kubectl-seccomp/profiles';
import { CoreV1Api, makeInformer, type KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import type { Logger } from '../log.js';
import type { ProfileStore } from '../store/index.js';
import { PROFILE_SELECTOR } from '@kubectl-seccomp/proto';
import { planReconcile, reconcileProblems, type SkippedConfigMap } from './plan.js';

export interface ReconcilerOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  store: ProfileStore;
  target: FlattenTarget;
  log: Logger;
  /** Full resync period; default 5 minutes. */
  resyncMs?: number;
  /** Wait after a change before syncing, so a push of many ConfigMaps is one sync; default 500 ms. */
  debounceMs?: number;
  /** Wait before restarting the watch after an error; default 5 s. */
  retryMs?: number;
  /** Told how many ConfigMaps the last reconcile could not apply (a metric). */
  onSkipped?: (count: number) => void;
  /** Told after every reconcile whether it was complete (the readiness gate opens on the first). */
  onReconciled?: (status: ReconcileStatus) => void;
}

export interface ReconcileStatus {
  /** pending: no reconcile has finished yet; complete: every recorded profile written and read back. */
  state: 'pending' | 'complete' | 'incomplete';
  /** Why the last reconcile was incomplete, one line per ConfigMap or file. */
  problems: string[];
  /** Some reconcile since the agent started was complete. */
  everComplete: boolean;
}

export interface RunningReconciler {
  /** The ConfigMaps the last reconcile could not apply, for doctor. */
  skipped(): readonly SkippedConfigMap[];
  status(): ReconcileStatus;
  stop(): Promise<void>;
}

export function startReconciler(opts: ReconcilerOptions): RunningReconciler {
  const { kubeConfig, namespace, store, target } = opts;
  const log = opts.log.child({ module: 'reconcile', namespace });
  const api = kubeConfig.makeApiClient(CoreV1Api);
  // Until the first list has arrived the cache is empty, and syncing it would prune every profile.
  let listed = false;
  const informer = makeInformer<V1ConfigMap>(
    kubeConfig,
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps`,
    async () => {
      const list = await api.listNamespacedConfigMap({ namespace, labelSelector: PROFILE_SELECTOR });
      listed = true;
      // An empty list raises no 'add' event, yet files of ConfigMaps deleted meanwhile must go.
      schedule();
      return list;
    },
    PROFILE_SELECTOR,
  );

  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let debounce: NodeJS.Timeout | undefined;
  let retry: NodeJS.Timeout | undefined;
  let lastSkipped: readonly SkippedConfigMap[] = [];
  let status: ReconcileStatus = { state: 'pending', problems: [], everComplete: false };
  const finished = (problems: string[]): void => {
    const complete = problems.length === 0;
    status = { state: complete ? 'complete' : 'incomplete', problems, everComplete: status.everComplete || complete };
    opts.onReconciled?.(status);
  };

  const reconcile = async (): Promise<void> => {
    const plan = planReconcile(informer.list(namespace), await store.inventory(), target, store.limits.maxProfileBytes, store.writePrefix);
    const { request, skipped } = plan;
    for (const s of skipped) log.warn(s, 'profile ConfigMap not applied');
    lastSkipped = skipped;
    opts.onSkipped?.(skipped.length);
    const results = await store.sync(request, { origin: 'configmap' });
    const changed = results.filter((r) => r.outcome !== 'unchanged');
    for (const r of changed) {
      if (r.outcome === 'error') log.error({ path: r.path, error: r.error }, 'profile not converged');
      else log.info({ path: r.path, outcome: r.outcome, sha256: r.sha256 }, 'profile converged');
    }
    // Read back from the disk, not taken from the sync's word: the gate opens on files, not intentions.
    finished(reconcileProblems(plan, results, await store.inventory()));
  };

  const trigger = (): void => {
    if (stopped || !listed) return;
    if (running) {
      again = true;
      return;
    }
    running = reconcile()
      .catch((err: unknown) => {
        log.error({ err }, 'reconcile failed');
        finished([`reconcile failed: ${err instanceof Error ? err.message : String(err)}`]);
      })
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          trigger();
        }
      });
  };

  const schedule = (): void => {
    clearTimeout(debounce);
    debounce = setTimeout(trigger, opts.debounceMs ?? 500);
  };

  const restart = (): void => {
    if (stopped) return;
    informer.start().catch((err: unknown) => log.error({ err }, 'ConfigMap watch failed to start'));
  };

  informer.on('add', schedule);
  informer.on('update', schedule);
  informer.on('delete', schedule);
  informer.on('error', (err: unknown) => {
    if (stopped) return;
    log.warn({ err }, 'ConfigMap watch failed; restarting');
    clearTimeout(retry);
    retry = setTimeout(restart, opts.retryMs ?? 5000);
  });
  restart();
  const resync = setInterval(trigger, opts.resyncMs ?? 5 * 60_000);

  return {
    skipped: () => lastSkipped,
    status: () => status,
    async stop() {
      stopped = true;
      clearInterval(resync);
      clearTimeout(debounce);
      clearTimeout(retry);
      await informer.stop();
      await running;
    },
  };
}
