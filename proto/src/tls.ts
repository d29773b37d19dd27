// Channel and server credentials from PEM files.
import { readFileSync } from 'node:fs';
import { ServerCredentials, credentials, type ChannelCredentials, type ChannelOptions } from '@grpc/grpc-js';
import { AgentError } from './errors.js';

/** PEM file paths. A client given `tls` (even {}) speaks TLS; `ca` replaces the system roots. */
export interface TlsFiles {
  /** CA bundle: the client verifies the server with it; a server given one requires client certificates (mTLS). */
  ca?: string;
  /** Certificate chain: the server's own, or the client's for mTLS. */
  cert?: string;
  /** Private key of `cert`. */
  key?: string;
  /** Client only: the name expected in the server's certificate instead of the dialled host. */
  serverName?: string;
}

function readPem(path: string | undefined, what: string): Buffer | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path);
  } catch (err) {
    throw new AgentError('invalid-argument', `cannot read TLS ${what} file ${path}: ${(err as Error).message}`, { cause: err });
  }
}

export function channelCredentials(tls: TlsFiles | undefined): ChannelCredentials {
  if (!tls) return credentials.createInsecure();
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new AgentError('invalid-argument', 'TLS client certificate and key must be given together');
  }
  return credentials.createSsl(readPem(tls.ca, 'ca') ?? null, readPem(tls.key, 'key') ?? null, readPem(tls.cert, 'cert') ?? null);
}

export function channelTlsOptions(tls: TlsFiles | undefined): ChannelOptions {
  if (!tls?.serverName) return {};
  return { 'grpc.ssl_target_name_override': tls.serverName, 'grpc.default_authority': tls.serverName };
}

export function serverCredentials(tls: TlsFiles | undefined): ServerCredentials {
  if (!tls) return ServerCredentials.createInsecure();
  const cert = readPem(tls.cert, 'cert');
  const key = readPem(tls.key, 'key');
  if (!cert || !key) throw new AgentError('invalid-argument', 'a TLS server needs both a certificate (cert) and a key (key)');
  const ca = readPem(tls.ca, 'ca');
  return ServerCredentials.createSsl(ca ?? null, [{ cert_chain: cert, private_key: key }], ca !== undefined);
}
