// The standard grpc.health.v1 service (proto/health.proto): served next to the agent, and a probe
// for clients.
import {
  Client,
  Metadata,
  status as Status,
  type sendUnaryData,
  type Server,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceDefinition,
  type ServiceError,
} from '@grpc/grpc-js';
import { grpc } from '../gen/agent.js';
import { AGENT_SERVICE_NAME } from './service.js';
import { fromServiceError } from './status.js';
import { channelCredentials, channelTlsOptions, type TlsFiles } from './tls.js';

import pb = grpc.health.v1;

export type HealthStatus = 'SERVING' | 'NOT_SERVING' | 'UNKNOWN';
type WireStatus = HealthStatus | 'SERVICE_UNKNOWN';

interface HealthRequest {
  service: string;
}
interface HealthResponse {
  status: WireStatus;
}

const toBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const serializeRequest = (r: HealthRequest): Buffer => toBuffer(pb.HealthCheckRequest.encode(r).finish());
const deserializeRequest = (b: Buffer): HealthRequest => ({ service: pb.HealthCheckRequest.decode(b).service });
const serializeResponse = (r: HealthResponse): Buffer =>
  toBuffer(pb.HealthCheckResponse.encode({ status: pb.HealthCheckResponse.ServingStatus[r.status] }).finish());
/** A status this code does not know (a newer server) reads as UNKNOWN. */
const deserializeResponse = (b: Buffer): HealthResponse => ({
  status: (pb.HealthCheckResponse.ServingStatus[pb.HealthCheckResponse.decode(b).status] as WireStatus | undefined) ?? 'UNKNOWN',
});

function method(name: 'Check' | 'Watch', responseStream: boolean) {
  return {
    path: `/grpc.health.v1.Health/${name}`,
    requestStream: false,
    responseStream,
    requestSerialize: serializeRequest,
    requestDeserialize: deserializeRequest,
    responseSerialize: serializeResponse,
    responseDeserialize: deserializeResponse,
    originalName: name.toLowerCase(),
  } as const;
}

export const healthService = { Check: method('Check', false), Watch: method('Watch', true) } satisfies ServiceDefinition;

/** Health of the server as a whole ('') and of the agent service. */
export class AgentHealth {
  private readonly statuses = new Map<string, HealthStatus>([
    ['', 'SERVING'],
    [AGENT_SERVICE_NAME, 'SERVING'],
  ]);
  private readonly watchers = new Set<{ service: string; call: ServerWritableStream<HealthRequest, HealthResponse> }>();

  /** What the health service answers for the agent service, read in-process. */
  get status(): HealthStatus {
    return this.statuses.get(AGENT_SERVICE_NAME) ?? 'UNKNOWN';
  }

  addToServer(server: Server): void {
    server.addService(healthService, {
      Check: (call: ServerUnaryCall<HealthRequest, HealthResponse>, callback: sendUnaryData<HealthResponse>) => {
        const status = this.statuses.get(call.request.service);
        if (status) callback(null, { status });
        else callback({ code: Status.NOT_FOUND, details: `no health status for service ${JSON.stringify(call.request.service)}` });
      },
      Watch: (call: ServerWritableStream<HealthRequest, HealthResponse>) => {
        const watcher = { service: call.request.service, call };
        this.watchers.add(watcher);
        call.on('cancelled', () => this.watchers.delete(watcher));
        call.write({ status: this.statuses.get(watcher.service) ?? 'SERVICE_UNKNOWN' });
      },
    });
  }

  notServing(): void {
    for (const service of this.statuses.keys()) this.statuses.set(service, 'NOT_SERVING');
    for (const { service, call } of this.watchers) call.write({ status: this.statuses.get(service) ?? 'SERVICE_UNKNOWN' });
  }
}

export interface HealthCheckOptions {
  tls?: TlsFiles;
  /** '' (default) asks about the server as a whole. */
  service?: string;
  /** Default 5 s. */
  timeoutMs?: number;
}

/**
 * One grpc.health.v1 Check. 'UNKNOWN' also for a service the server does not know; rejects with an
 * AgentError when the agent cannot be asked (unreachable, deadline).
 */
export function checkHealth(address: string, opts: HealthCheckOptions = {}): Promise<HealthStatus> {
  const client = new Client(address, channelCredentials(opts.tls), channelTlsOptions(opts.tls));
  const check = healthService.Check;
  return new Promise<HealthStatus>((resolve, reject) => {
    client.makeUnaryRequest(
      check.path,
      check.requestSerialize,
      check.responseDeserialize,
      { service: opts.service ?? '' },
      new Metadata(),
      { deadline: Date.now() + (opts.timeoutMs ?? 5_000) },
      (err: ServiceError | null, res?: HealthResponse) => {
        if (err?.code === Status.NOT_FOUND) resolve('UNKNOWN');
        else if (err) reject(fromServiceError(err));
        else if (res?.status === 'SERVING' || res?.status === 'NOT_SERVING') resolve(res.status);
        else resolve('UNKNOWN');
      },
    );
  }).finally(() => client.close());
}
