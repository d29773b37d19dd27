import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { CRI_PROTO } from './containerd-cri-proto.js';

/** Field names as the proto spells them (snake_case): what a CRI log or api.proto shows. */
export type CriMessage = Record<string, unknown>;

export type ProfileType = 'RuntimeDefault' | 'Unconfined' | 'Localhost';

export interface CriContainerStatus {
  id: string;
  state: 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';
  exit_code: number;
  reason: string;
  message: string;
  log_path: string;
}

const root = protobuf.parse(CRI_PROTO, { keepCase: true }).root;

/**
 * A CRI v1 client for the calls the kubelet makes to run a pod: unary calls over the runtime's
 * Unix socket, each with a deadline. Errors are the runtime's gRPC errors (`.code`, `.details`).
 */
export class CriClient {
  private readonly client: grpc.Client;

  constructor(socket: string) {
    this.client = new grpc.Client(`unix://${socket}`, grpc.credentials.createInsecure());
  }

  close(): void {
    this.client.close();
  }

  private call(method: string, request: CriMessage, timeoutMs = 60_000): Promise<CriMessage> {
    const req = root.lookupType(`runtime.v1.${method}Request`);
    const res = root.lookupType(`runtime.v1.${method}Response`);
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        `/runtime.v1.RuntimeService/${method}`,
        (value: CriMessage) => Buffer.from(req.encode(req.fromObject(value)).finish()),
        (bytes: Buffer) => res.toObject(res.decode(bytes), { enums: String, longs: Number, defaults: true }),
        request,
        new grpc.Metadata(),
        { deadline: Date.now() + timeoutMs },
        (error, value) => (error ? reject(error) : resolve(value as CriMessage)),
      );
    });
  }

  version(): Promise<{ runtime_name: string; runtime_version: string; runtime_api_version: string }> {
    return this.call('Version', { version: 'v1' }) as never;
  }

  async runPodSandbox(config: CriMessage): Promise<string> {
    return (await this.call('RunPodSandbox', { config }, 120_000)).pod_sandbox_id as string;
  }

  async stopPodSandbox(id: string): Promise<void> {
    await this.call('StopPodSandbox', { pod_sandbox_id: id });
  }

  async removePodSandbox(id: string): Promise<void> {
    await this.call('RemovePodSandbox', { pod_sandbox_id: id });
  }

  async listPodSandbox(): Promise<{ id: string; state: string }[]> {
    return (await this.call('ListPodSandbox', {})).items as never;
  }

  async createContainer(podSandboxId: string, config: CriMessage, sandboxConfig: CriMessage): Promise<string> {
    const res = await this.call('CreateContainer', { pod_sandbox_id: podSandboxId, config, sandbox_config: sandboxConfig });
    return res.container_id as string;
  }

  async startContainer(id: string): Promise<void> {
    await this.call('StartContainer', { container_id: id });
  }

  async stopContainer(id: string, timeoutSeconds = 0): Promise<void> {
    await this.call('StopContainer', { container_id: id, timeout: timeoutSeconds });
  }

  async removeContainer(id: string): Promise<void> {
    await this.call('RemoveContainer', { container_id: id });
  }

  async listContainers(podSandboxId?: string): Promise<{ id: string; pod_sandbox_id: string; state: string }[]> {
    return (await this.call('ListContainers', { filter: podSandboxId ? { pod_sandbox_id: podSandboxId } : {} })).containers as never;
  }

  /** The status, and with `verbose` the runtime's own info (containerd: `info` holds the OCI spec and pid as JSON). */
  async containerStatus(id: string, verbose = false): Promise<{ status: CriContainerStatus; info: Record<string, string> }> {
    return (await this.call('ContainerStatus', { container_id: id, verbose })) as never;
  }
}
