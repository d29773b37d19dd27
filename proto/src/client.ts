// The gRPC client side of AgentApi.
import { isIPv4, isIPv6 } from 'node:net';
import { Client, connectivityState as State, Metadata, status as Status, type ServiceError } from '@grpc/grpc-js';
import { AgentError } from './errors.js';
import { MAX_RECEIVE_MESSAGE_BYTES, agentService } from './service.js';
import { fromServiceError } from './status.js';
import { channelCredentials, channelTlsOptions, type TlsFiles } from './tls.js';
import type {
  AgentApi,
  CallOptions,
  DoctorResponse,
  ListProfilesResponse,
  SyncProfilesRequest,
  SyncProfilesResponse,
  VersionResponse,
  WatchEvent,
  WatchViolationsRequest,
} from './types.js';

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface ClientOptions {
  /** Speak TLS (mTLS with cert and key); insecure when absent. */
  tls?: TlsFiles;
  /** When set, each call first waits up to this long for the connection (else it fails fast with 'unavailable'). */
  connectTimeoutMs?: number;
  /** Deadline of unary calls when the call gives none, ms (default 30 s). */
  timeoutMs?: number;
}

export interface AgentClient extends AgentApi {
  readonly address: string;
  close(): void;
}

interface UnaryMethod<Req, Res> {
  path: string;
  requestSerialize: (req: Req) => Buffer;
  responseDeserialize: (bytes: Buffer) => Res;
}

/**
 * What one connection to one agent needs, and no more: push opens a channel per node, hundreds at a
 * time, so every per-channel extra shows in its CPU time. Each channel dials one address once:
 * - no channelz bookkeeping (nothing here serves the channelz service);
 * - no retry layer (calls are not retried: a failed node is reported, and push lists again);
 * - its own subchannel pool, released with the channel, instead of the process-wide pool that
 *   every channel registers in and that sweeps its unused entries on a timer.
 */
const CHANNEL_OPTIONS = {
  'grpc.max_receive_message_length': MAX_RECEIVE_MESSAGE_BYTES,
  'grpc.enable_channelz': 0,
  'grpc.enable_retries': 0,
  'grpc.use_local_subchannel_pool': 1,
} as const;

/**
 * The gRPC target for "HOST:PORT": an IP literal gets the ipv4:/ipv6: scheme, so that grpc-js uses
 * its IP resolver rather than building a DNS resolver (a c-ares channel) per connection for an
 * address that needs no lookup. The default authority (and so TLS name checks) stays HOST:PORT.
 */
export function grpcTarget(address: string): string {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon);
  if (colon > 0 && isIPv4(host)) return `ipv4:${address}`;
  if (host.startsWith('[') && host.endsWith(']') && isIPv6(host.slice(1, -1))) return `ipv6:${address}`;
  return address;
}

/** An AgentApi over gRPC to the agent at "HOST:PORT". */
export function createAgentClient(address: string, opts: ClientOptions = {}): AgentClient {
  const client = new Client(grpcTarget(address), channelCredentials(opts.tls), { ...CHANNEL_OPTIONS, ...channelTlsOptions(opts.tls) });

  /**
   * Waits for the channel (with connectTimeoutMs) until it is ready or has failed once: a refused
   * connection or a failed handshake is then reported by the call itself, at once and with gRPC's
   * reason (ECONNREFUSED, ...), instead of being retried until the deadline. An abort ends the wait.
   */
  function connected(signal: AbortSignal | undefined): Promise<void> {
    const ms = opts.connectTimeoutMs;
    if (ms === undefined) return Promise.resolve();
    const deadline = Date.now() + ms;
    const channel = client.getChannel();
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(new AgentError('cancelled', `cancelled while connecting to ${address}`));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = (err?: AgentError): void => {
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      const step = (): void => {
        const state = channel.getConnectivityState(true);
        if (state === State.READY || state === State.TRANSIENT_FAILURE || state === State.SHUTDOWN) return settle();
        channel.watchConnectivityState(state, deadline, (err) => {
          if (err) settle(new AgentError('unavailable', `no connection to ${address} within ${ms} ms: ${err.message}`, { cause: err }));
          else step();
        });
      };
      step();
    });
  }

  async function unary<Req, Res>(m: UnaryMethod<Req, Res>, req: Req, call: CallOptions = {}): Promise<Res> {
    const { signal } = call;
    await connected(signal);
    if (signal?.aborted) throw new AgentError('cancelled', 'call cancelled before it started');
    return new Promise<Res>((resolve, reject) => {
      const deadline = Date.now() + (call.timeoutMs ?? opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      const onAbort = (): void => pending.cancel();
      const pending = client.makeUnaryRequest(
        m.path,
        m.requestSerialize,
        m.responseDeserialize,
        req,
        new Metadata(),
        { deadline },
        (err: ServiceError | null, res?: Res) => {
          signal?.removeEventListener('abort', onAbort);
          if (err) reject(fromServiceError(err));
          else if (res === undefined) reject(new AgentError('internal', `${m.path}: empty response`));
          else resolve(res);
        },
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async function* watchViolations(req: WatchViolationsRequest, call: CallOptions = {}): AsyncGenerator<WatchEvent> {
    const { signal } = call;
    try {
      await connected(signal);
    } catch (err) {
      // A watch ends cleanly on abort, whenever it comes.
      if (signal?.aborted) return;
      throw err;
    }
    if (signal?.aborted) return;
    const m = agentService.watchViolations;
    const stream = client.makeServerStreamRequest(m.path, m.requestSerialize, m.responseDeserialize, req, new Metadata(), {});
    const onAbort = (): void => stream.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const event of stream as AsyncIterable<WatchEvent | undefined>) {
        if (event) yield event;
      }
    } catch (err) {
      if (signal?.aborted && (err as Partial<ServiceError>).code === Status.CANCELLED) return;
      throw fromServiceError(err as Error);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // The consumer may leave the loop early: tell the agent to stop sending.
      stream.cancel();
    }
  }

  return {
    address,
    doctor: (call?: CallOptions): Promise<DoctorResponse> => unary(agentService.doctor, {}, call),
    listProfiles: (call?: CallOptions): Promise<ListProfilesResponse> => unary(agentService.listProfiles, {}, call),
    syncProfiles: (req: SyncProfilesRequest, call?: CallOptions): Promise<SyncProfilesResponse> => unary(agentService.syncProfiles, req, call),
    watchViolations,
    version: (call?: CallOptions): Promise<VersionResponse> => unary(agentService.version, {}, call),
    close: () => client.close(),
  };
}
