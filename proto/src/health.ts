// The standard grpc.health.v1 service: served next to the agent, and a probe for clients.
import { Client, Metadata, status as Status, type Server, type ServiceError } from '@grpc/grpc-js';
import { HealthImplementation, service as healthService } from 'grpc-health-check';
import { AGENT_SERVICE_NAME } from './service.js';
import { fromServiceError } from './status.js';
import { channelCredentials, channelTlsOptions, type TlsFiles } from './tls.js';

export type HealthStatus = 'SERVING' | 'NOT_SERVING' | 'UNKNOWN';

/** Health of the server as a whole ('') and of the agent service. */
export class AgentHealth {
  private readonly impl = new HealthImplementation({ '': 'SERVING', [AGENT_SERVICE_NAME]: 'SERVING' });
  private serving = true;

  /** What the health service answers for the agent service, read in-process. */
  get status(): HealthStatus {
    return this.serving ? 'SERVING' : 'NOT_SERVING';
  }

  addToServer(server: Server): void {
    this.impl.addToServer(server);
  }

  notServing(): void {
    this.serving = false;
    this.impl.setStatus('', 'NOT_SERVING');
    this.impl.setStatus(AGENT_SERVICE_NAME, 'NOT_SERVING');
  }
}

export interface HealthCheckOptions {
  tls?: TlsFiles;
  /** '' (default) asks about the server as a whole. */
  service?: string;
  /** Default 5 s. */
  timeoutMs?: number;
}

interface HealthCheckResponse { status?: string }

/**
 * One grpc.health.v1 Check. 'UNKNOWN' also for a service the server does not know; rejects with an
 * AgentError when the agent cannot be asked (unreachable, deadline).
 */
export function checkHealth(address: string, opts: HealthCheckOptions = {}): Promise<HealthStatus> {
  const client = new Client(address, channelCredentials(opts.tls), channelTlsOptions(opts.tls));
  const check = healthService.Check!;
  return new Promise<HealthStatus>((resolve, reject) => {
    client.makeUnaryRequest(
      check.path,
      check.requestSerialize,
      check.responseDeserialize as (bytes: Buffer) => HealthCheckResponse,
      { service: opts.service ?? '' },
      new Metadata(),
      { deadline: Date.now() + (opts.timeoutMs ?? 5_000) },
      (err: ServiceError | null, res?: HealthCheckResponse) => {
        if (err?.code === Status.NOT_FOUND) resolve('UNKNOWN');
        else if (err) reject(fromServiceError(err));
        else if (res?.status === 'SERVING' || res?.status === 'NOT_SERVING') resolve(res.status);
        else resolve('UNKNOWN');
      },
    );
  }).finally(() => client.close());
}
