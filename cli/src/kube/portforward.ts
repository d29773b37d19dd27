import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PortForward, type KubeConfig } from '@kubernetes/client-node';

export interface ForwardedPort {
  /** "unix:PATH" to dial; every connection becomes one port-forward stream to the pod. */
  readonly address: string;
  /** Why the last tunnel could not be opened (RBAC, pod gone), for error messages. */
  readonly lastError: string | undefined;
  close(): Promise<void>;
}

type ClosableSocket = { close(): void; on(event: 'close', listener: () => void): void };

/**
 * `kubectl port-forward` in-process, each accepted connection tunnelled through the API server's
 * pods/portforward WebSocket with the operator's credentials. So the listener is a Unix socket in a
 * fresh 0700 dir: unlike a loopback port, no other local user can reach it.
 */
export async function forwardPort(kc: KubeConfig, namespace: string, pod: string, port: number): Promise<ForwardedPort> {
  const forward = new PortForward(kc);
  const open = new Set<{ socket: Socket; ws?: ClosableSocket }>();
  let lastError: string | undefined;
  const server: Server = createServer((socket) => {
    const entry: { socket: Socket; ws?: ClosableSocket } = { socket };
    open.add(entry);
    socket.on('close', () => {
      open.delete(entry);
      entry.ws?.close();
    });
    socket.on('error', () => socket.destroy());
    forward
      .portForward(namespace, pod, [port], socket, null, socket)
      .then((ws) => {
        const w = ws as unknown as ClosableSocket;
        entry.ws = w;
        // client-node leaves the local socket open when the tunnel ends; end it so gRPC sees it.
        w.on('close', () => socket.destroy());
        if (socket.destroyed) w.close();
      })
      .catch((err: unknown) => {
        lastError = describeTunnelError(err);
        socket.destroy();
      });
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'kubectl-seccomp-'));
  const socketPath = path.join(dir, 'agent.sock');
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    address: `unix:${socketPath}`,
    get lastError() {
      return lastError;
    },
    close: async () => {
      for (const { socket, ws } of open) {
        ws?.close();
        socket.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function describeTunnelError(err: unknown): string {
  const e = err as { message?: string; type?: string; target?: unknown; error?: { message?: string } };
  // ws reports a failed upgrade as an ErrorEvent; its message carries the HTTP status.
  return e.error?.message ?? e.message ?? String(err);
}
