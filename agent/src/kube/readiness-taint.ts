/**
 * The node readiness gate: once this node's first reconcile is complete, remove the readiness taint
 * (READINESS_TAINT_KEY) from this node, once, and never put it back. See docs/deployment.md.
 */
import { CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig, type V1Taint } from '@kubernetes/client-node';
import { READINESS_TAINT_KEY } from '@kubectl-seccomp/proto';
import type { Logger } from '../log.js';

export interface JsonPatchOp {
  op: 'test' | 'remove';
  path: string;
  value?: unknown;
}

/**
 * Pure: the JSON patch that removes every taint with the readiness key from `taints` as read, or
 * undefined when there is none. Each remove is guarded by a test of the key at its index, so a list
 * changed since it was read fails the patch (then re-read) instead of losing someone else's taint.
 * The key is tested rather than the whole entry: the client re-serializes dates (timeAdded), so a
 * test of the list as read could never match what the server holds.
 */
export function taintRemovalPatch(taints: readonly V1Taint[] | undefined): JsonPatchOp[] | undefined {
  const at = (taints ?? []).flatMap((t, i) => (t.key === READINESS_TAINT_KEY ? [i] : []));
  if (at.length === 0) return undefined;
  // Highest index first: a remove shifts the entries after it.
  return at.reverse().flatMap((i): JsonPatchOp[] => [
    { op: 'test', path: `/spec/taints/${i}/key`, value: READINESS_TAINT_KEY },
    { op: 'remove', path: `/spec/taints/${i}` },
  ]);
}

/**
 * waiting: no complete reconcile yet; removed: this agent removed the taint; absent: the node had
 * none; forbidden: the API refused (RBAC or the admission policy); failed: another error.
 */
export type GateState = { state: 'waiting' | 'removed' | 'absent' } | { state: 'forbidden' | 'failed'; error: string };

export interface ReadinessGateOptions {
  kubeConfig: KubeConfig;
  nodeName: string;
  log: Logger;
  /** Wait before trying again after an error other than 403 and 404; default 5 s. */
  retryMs?: number;
  /** Re-reads of the node when the taints changed under the patch; default 5. */
  maxAttempts?: number;
}

const statusOf = (err: unknown): number | undefined => (err as { code?: unknown }).code as number | undefined;
const messageOf = (err: unknown): string => {
  const body = (err as { body?: unknown }).body;
  const parsed = typeof body === 'string' ? safeJson(body) : body;
  return (parsed as { message?: string } | undefined)?.message ?? (err instanceof Error ? err.message : String(err));
};

export class ReadinessGate {
  #state: GateState = { state: 'waiting' };
  #running: Promise<void> | undefined;
  #retry: NodeJS.Timeout | undefined;
  #warnedOnce = false;
  #stopped = false;
  readonly #api: CoreV1Api;
  readonly #log: Logger;

  constructor(private readonly opts: ReadinessGateOptions) {
    this.#api = opts.kubeConfig.makeApiClient(CoreV1Api);
    this.#log = opts.log.child({ module: 'readiness-gate', node: opts.nodeName, taint: READINESS_TAINT_KEY });
  }

  state(): GateState {
    return this.#state;
  }

  /** After a complete reconcile: removes the taint unless that is done already. Never throws. */
  open(): Promise<void> {
    if (this.#stopped || this.#state.state === 'removed' || this.#state.state === 'absent') return Promise.resolve();
    this.#running ??= this.#attempt().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    await this.#running;
  }

  async #attempt(): Promise<void> {
    const name = this.opts.nodeName;
    const max = this.opts.maxAttempts ?? 5;
    try {
      for (let attempt = 1; ; attempt++) {
        const node = await this.#api.readNode({ name });
        const patch = taintRemovalPatch(node.spec?.taints);
        if (!patch) {
          this.#state = { state: 'absent' };
          this.#log.info('node has no readiness taint: nothing to remove');
          return;
        }
        try {
          await this.#api.patchNode({ name, body: patch }, setHeaderOptions('Content-Type', PatchStrategy.JsonPatch));
          this.#state = { state: 'removed' };
          this.#log.info('readiness taint removed: every recorded profile is on disk');
          return;
        } catch (err) {
          // A failed test op (422; 400 from some servers) or a conflict: the taints changed, read again.
          const code = statusOf(err);
          if ((code === 409 || code === 422 || code === 400) && attempt < max) continue;
          throw err;
        }
      }
    } catch (err) {
      const error = messageOf(err);
      const code = statusOf(err);
      if (code === 403 || code === 404) {
        // Not transient: warned once; every later complete reconcile tries again (the grant may come later).
        this.#state = code === 403 ? { state: 'forbidden', error } : { state: 'failed', error };
        const what = code === 403 ? 'may not remove the readiness taint (RBAC or admission policy)' : 'no Node named as --node-name';
        if (!this.#warnedOnce) this.#log.warn({ error }, `${what}; the node stays tainted`);
        this.#warnedOnce = true;
        return;
      }
      this.#state = { state: 'failed', error };
      this.#log.warn({ error }, 'could not remove the readiness taint; retrying');
      clearTimeout(this.#retry);
      if (!this.#stopped) this.#retry = setTimeout(() => void this.open(), this.opts.retryMs ?? 5000);
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
