import type { AgentApi, AgentErrorCode, CallOptions } from '@kubectl-seccomp/proto';
import type { AgentHandle, AgentTarget, TargetVia } from '../targets/types.js';

/** Why a node has no result: the report names the node and this, never drops it. */
export type FailureKind = 'unreachable' | 'timeout' | 'agent-error' | 'cancelled' | 'error';

export interface NodeFailure {
  kind: FailureKind;
  /** Set for agent errors (and transport errors the client reported as AgentError). */
  code?: AgentErrorCode;
  message: string;
}

export interface NodeRef {
  node: string;
  via: TargetVia;
  endpoint: string;
  /** See AgentTarget.labelFromAgent. */
  labelFromAgent?: boolean;
}

export type NodeOutcome<T> = NodeRef & ({ ok: true; value: T } | { ok: false; failure: NodeFailure });

export interface NodeContext {
  node: string;
  /** Aborts at the node's deadline or on Ctrl-C. */
  signal: AbortSignal;
  /** Options for the next agent call: the signal and the time left before the deadline. */
  call(): CallOptions;
}

export type NodeOperation<T> = (api: AgentApi, ctx: NodeContext) => Promise<T>;

export interface FanOutOptions {
  concurrency: number;
  /** Per node, from opening the connection to the operation's end. */
  timeoutMs: number;
  /** Aborts every node (Ctrl-C). */
  signal?: AbortSignal;
  /** Diagnostics (--verbose): how each node ended. */
  log?: (message: string) => void;
}

class NodeTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${formatMs(ms)}`);
  }
}
class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/**
 * Runs op on every target, at most `concurrency` at once, each under its own deadline. A node
 * that hangs is given up at its deadline (its connection closed) so it never holds up the
 * others; results come back in target order.
 */
export async function fanOut<T>(targets: readonly AgentTarget[], op: NodeOperation<T>, opts: FanOutOptions): Promise<NodeOutcome<T>[]> {
  const outcomes = new Array<NodeOutcome<T>>(targets.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const index = next++;
      const started = Date.now();
      const outcome = await runOne(targets[index]!, op, opts);
      opts.log?.(
        `${outcome.node} (${outcome.endpoint}): ${outcome.ok ? 'ok' : `${outcome.failure.kind}: ${outcome.failure.message}`} after ${Date.now() - started} ms`,
      );
      outcomes[index] = outcome;
    }
  };
  const workers = Math.max(1, Math.min(opts.concurrency, targets.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return outcomes;
}

async function runOne<T>(target: AgentTarget, op: NodeOperation<T>, opts: FanOutOptions): Promise<NodeOutcome<T>> {
  const ref: NodeRef = { node: target.node, via: target.via, endpoint: target.endpoint, ...(target.labelFromAgent ? { labelFromAgent: true } : {}) };
  const ac = new AbortController();
  const deadline = Date.now() + opts.timeoutMs;
  const timer = setTimeout(() => ac.abort(new NodeTimeout(opts.timeoutMs)), opts.timeoutMs);
  const onCancel = (): void => ac.abort(new Cancelled());
  if (opts.signal?.aborted) onCancel();
  opts.signal?.addEventListener('abort', onCancel, { once: true });

  let handle: AgentHandle | undefined;
  let settled = false;
  let opened = false;
  const ctx: NodeContext = {
    node: target.node,
    signal: ac.signal,
    call: () => ({ signal: ac.signal, timeoutMs: Math.max(1, deadline - Date.now()) }),
  };
  const work = (async () => {
    const h = await target.open(ac.signal);
    if (settled) {
      // Given up while connecting: release the late connection at once.
      await h.close();
      throw new Cancelled();
    }
    handle = h;
    opened = true;
    return op(h.api, ctx);
  })();
  try {
    const value = await untilAborted(work, ac.signal);
    return { ...ref, ok: true, value };
  } catch (err) {
    return { ...ref, ok: false, failure: classify(err, ac.signal, opened) };
  } finally {
    settled = true;
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onCancel);
    work.catch(() => {});
    await handle?.close().catch(() => {});
  }
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function classify(err: unknown, signal: AbortSignal, opened: boolean): NodeFailure {
  // The node's own deadline or Ctrl-C explains whatever error the abort caused.
  const cause = signal.aborted ? signal.reason : err;
  if (cause instanceof NodeTimeout) return { kind: 'timeout', message: cause.message };
  if (cause instanceof Cancelled) return { kind: 'cancelled', message: cause.message };
  if (isAgentError(cause)) {
    switch (cause.code) {
      case 'unavailable':
        return { kind: 'unreachable', code: cause.code, message: cause.message };
      case 'deadline-exceeded':
        return { kind: 'timeout', code: cause.code, message: cause.message };
      case 'cancelled':
        return { kind: 'cancelled', code: cause.code, message: cause.message };
      default:
        return { kind: 'agent-error', code: cause.code, message: cause.message };
    }
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  // Failing to open is failing to reach (port-forward refused, pod gone); after that it is ours.
  return { kind: opened ? 'error' : 'unreachable', message };
}

/**
 * AgentError by shape, not instanceof: the proto package (protobufjs, grpc) is loaded only when a
 * target is opened, and an error may come from another copy of it.
 */
function isAgentError(err: unknown): err is Error & { code: AgentErrorCode } {
  return err instanceof Error && err.name === 'AgentError' && typeof (err as { code?: unknown }).code === 'string';
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
