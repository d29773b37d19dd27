// The gRPC server side: serves an AgentApi implementation and the standard health service.
import { once } from 'node:events';
import {
  Server,
  status as Status,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServerWritableStream,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { AgentError } from './errors.js';
import { AgentHealth } from './health.js';
import { MAX_RECEIVE_MESSAGE_BYTES, agentService } from './service.js';
import { toStatus } from './status.js';
import { serverCredentials, type TlsFiles } from './tls.js';
import type { AgentApi, CallOptions, WatchEvent, WatchViolationsRequest } from './types.js';

export interface ServerOptions {
  /** Serve TLS with cert and key; with ca, require client certificates signed by it (mTLS). */
  tls?: TlsFiles;
}

export interface RunningServer {
  /** "HOST:PORT" with the bound port. */
  readonly address: string;
  readonly port: number;
  /** Reports NOT_SERVING, ends open streams, lets calls finish for graceMs (default 5 s), then cuts them. */
  stop(graceMs?: number): Promise<void>;
}

export const DEFAULT_STOP_GRACE_MS = 5_000;

/** Serves impl (and grpc.health.v1) on address "HOST:PORT" (port 0 = any); resolves once bound. */
export async function serveAgent(impl: AgentApi, address: string, opts: ServerOptions = {}): Promise<RunningServer> {
  const creds = serverCredentials(opts.tls);
  // No channelz bookkeeping per connection and call: nothing serves the channelz service, and a push
  // to every node is one short connection per agent.
  const server = new Server({ 'grpc.max_receive_message_length': MAX_RECEIVE_MESSAGE_BYTES, 'grpc.enable_channelz': 0 });
  const stopping = new AbortController();
  const health = new AgentHealth();
  health.addToServer(server);
  server.addService(agentService, handlers(impl, stopping.signal));

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, creds, (err, bound) => (err ? reject(bindError(address, err)) : resolve(bound)));
  });
  const host = address.slice(0, address.lastIndexOf(':'));
  let stopped: Promise<void> | undefined;

  return {
    address: `${host}:${port}`,
    port,
    stop(graceMs = DEFAULT_STOP_GRACE_MS) {
      stopped ??= shutdown(server, graceMs, () => {
        health.notServing();
        stopping.abort();
      });
      return stopped;
    },
  };
}

function bindError(address: string, err: Error): AgentError {
  return new AgentError('unavailable', `cannot listen on ${address}: ${err.message}`, { cause: err });
}

function shutdown(server: Server, graceMs: number, beforeStop: () => void): Promise<void> {
  beforeStop();
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}

/** Per-call options for the implementation: a signal that aborts when the client goes away or the deadline passes. */
function callOptions(call: ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown>, extra?: AbortSignal): CallOptions {
  const ac = new AbortController();
  call.on('cancelled', () => ac.abort());
  const opts: CallOptions = { signal: extra ? AbortSignal.any([ac.signal, extra]) : ac.signal };
  const deadline = call.getDeadline();
  const ms = deadline instanceof Date ? deadline.getTime() : deadline;
  if (Number.isFinite(ms)) opts.timeoutMs = Math.max(0, ms - Date.now());
  return opts;
}

function unary<Req, Res>(run: (req: Req, opts: CallOptions) => Promise<Res>) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
    let result: Promise<Res>;
    try {
      result = run(call.request, callOptions(call));
    } catch (err) {
      result = Promise.reject(err);
    }
    result.then(
      (res) => callback(null, res),
      (err: unknown) => callback(toStatus(err)),
    );
  };
}

function watch(impl: AgentApi, stopping: AbortSignal) {
  return (call: ServerWritableStream<WatchViolationsRequest, WatchEvent>): void => {
    const opts = callOptions(call, stopping);
    const signal = opts.signal!;
    void pump(impl, call, signal, stopping);
  };
}

/** Pulls the next event only once the previous one is accepted, so a slow client holds the impl back. */
async function pump(
  impl: AgentApi,
  call: ServerWritableStream<WatchViolationsRequest, WatchEvent>,
  signal: AbortSignal,
  stopping: AbortSignal,
): Promise<void> {
  let events: AsyncIterator<WatchEvent> | undefined;
  try {
    events = impl.watchViolations(call.request, { signal })[Symbol.asyncIterator]();
    for (;;) {
      const next = await events.next();
      if (next.done || signal.aborted) break;
      if (!call.write(next.value)) await drained(call, signal);
    }
    if (stopping.aborted) call.emit('error', { code: Status.UNAVAILABLE, details: 'agent is stopping' });
    else if (!call.cancelled) call.end();
  } catch (err) {
    if (!call.cancelled) call.emit('error', stopping.aborted ? { code: Status.UNAVAILABLE, details: 'agent is stopping' } : toStatus(err));
  } finally {
    await events?.return?.().catch(() => undefined);
  }
}

async function drained(call: ServerWritableStream<unknown, unknown>, signal: AbortSignal): Promise<void> {
  try {
    await once(call, 'drain', { signal });
  } catch {
    // Aborted: the caller sees signal.aborted and stops.
  }
}

function handlers(impl: AgentApi, stopping: AbortSignal): UntypedServiceImplementation {
  return {
    doctor: unary((_req: unknown, opts) => impl.doctor(opts)),
    listProfiles: unary((_req: unknown, opts) => impl.listProfiles(opts)),
    syncProfiles: unary((req: Parameters<AgentApi['syncProfiles']>[0], opts) => impl.syncProfiles(req, opts)),
    watchViolations: watch(impl, stopping),
    version: unary((_req: unknown, opts) => impl.version(opts)),
  };
}
