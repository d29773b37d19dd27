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
import { AgentHealth, type HealthStatus } from './health.js';
import { MAX_REQUEST_BYTES, OversizedRequest, agentService } from './service.js';
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
  /** The health service's answer, in-process: no credentials needed, so TLS servers can be probed. */
  health(): HealthStatus;
  /** Reports NOT_SERVING, ends open streams, lets calls finish for graceMs (default 5 s), then cuts them. */
  stop(graceMs?: number): Promise<void>;
}

export const DEFAULT_STOP_GRACE_MS = 5_000;

/** Watch streams one connection may hold: past it, resource-exhausted (the agent-wide cap is the pipeline's). */
export const MAX_WATCHES_PER_CONNECTION = 16;

const SERVER_OPTIONS = {
  'grpc.max_receive_message_length': MAX_REQUEST_BYTES.sync,
  'grpc.enable_channelz': 0,
  'grpc.max_concurrent_streams': 32,
  // Dead peers (a killed port-forward) are found and their streams freed; idle connections closed.
  'grpc.keepalive_time_ms': 60_000,
  'grpc.keepalive_timeout_ms': 20_000,
  'grpc.max_connection_idle_ms': 5 * 60_000,
};

const oversized = (req: unknown): { code: Status; details: string } | undefined =>
  req instanceof OversizedRequest
    ? { code: Status.RESOURCE_EXHAUSTED, details: `request of ${req.bytes} bytes; this call accepts at most ${req.limit}` }
    : undefined;

/** Serves impl (and grpc.health.v1) on address "HOST:PORT" (port 0 = any); resolves once bound. */
export async function serveAgent(impl: AgentApi, address: string, opts: ServerOptions = {}): Promise<RunningServer> {
  const creds = serverCredentials(opts.tls);
  // No channelz bookkeeping per connection and call: nothing serves the channelz service, and a push
  // to every node is one short connection per agent.
  const server = new Server(SERVER_OPTIONS);
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
    health: () => health.status,
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
    const tooBig = oversized(call.request);
    if (tooBig) {
      callback(tooBig);
      return;
    }
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
  const perPeer = new Map<string, number>();
  return (call: ServerWritableStream<WatchViolationsRequest, WatchEvent>): void => {
    const tooBig = oversized(call.request);
    if (tooBig) {
      call.emit('error', tooBig);
      return;
    }
    // getPeer() is address:port, one per connection (through port-forward every peer is loopback).
    const peer = call.getPeer();
    const open = perPeer.get(peer) ?? 0;
    if (open >= MAX_WATCHES_PER_CONNECTION) {
      call.emit('error', { code: Status.RESOURCE_EXHAUSTED, details: `at most ${MAX_WATCHES_PER_CONNECTION} watch streams per connection` });
      return;
    }
    perPeer.set(peer, open + 1);
    const opts = callOptions(call, stopping);
    const signal = opts.signal!;
    void pump(impl, call, signal, stopping).finally(() => {
      const left = (perPeer.get(peer) ?? 1) - 1;
      if (left > 0) perPeer.set(peer, left);
      else perPeer.delete(peer);
    });
  };
}

/** Pulls the next event only once the previous one is accepted, so a slow client holds the impl back. */
async function pump(impl: AgentApi, call: ServerWritableStream<WatchViolationsRequest, WatchEvent>, signal: AbortSignal, stopping: AbortSignal): Promise<void> {
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
