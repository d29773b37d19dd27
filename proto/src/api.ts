// Temporary stubs for the transport helpers; replaced by client.ts / server.ts. Signatures are the contract.
import type { AgentApi } from './types.js';

export interface TlsFiles { ca?: string; cert?: string; key?: string; serverName?: string }
export interface ClientOptions { tls?: TlsFiles; /** ms to wait for the connection on first call */ connectTimeoutMs?: number }
export interface AgentClient extends AgentApi { readonly address: string; close(): void }
export function createAgentClient(_address: string, _opts?: ClientOptions): AgentClient {
  throw new Error('not implemented yet');
}
export interface ServerOptions { tls?: TlsFiles }
export interface RunningServer { readonly address: string; readonly port: number; stop(graceMs?: number): Promise<void> }
/** Serves impl (and grpc.health.v1) on address "HOST:PORT" (port 0 = any); resolves once bound. */
export function serveAgent(_impl: AgentApi, _address: string, _opts?: ServerOptions): Promise<RunningServer> {
  throw new Error('not implemented yet');
}
