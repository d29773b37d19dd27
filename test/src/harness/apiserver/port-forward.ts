import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { typeByPlural } from './resources.js';
import type { ObjectStore } from './store.js';

const PORTFORWARD_PROTOCOL = 'v4.channel.k8s.io';
const PODS = typeByPlural('', 'v1', 'pods')!;

interface Target {
  host: string;
  port: number;
}

/**
 * The kubelet side of port-forward (v4.channel.k8s.io over WebSocket): pod ports are routed to
 * HOST:PORT on loopback, the tests' "pod network".
 */
export class PortForwards {
  readonly #routes = new Map<string, Target>();
  readonly #sockets = new Set<WebSocket>();
  readonly #wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has(PORTFORWARD_PROTOCOL) ? PORTFORWARD_PROTOCOL : false),
  });

  constructor(
    private readonly store: ObjectStore,
    private readonly isForbidden: (rule: string) => boolean,
  ) {}

  route(namespace: string, pod: string, podPort: number, to: Target): void {
    this.#routes.set(`${namespace}/${pod}:${podPort}`, to);
  }

  /** Handles an HTTP upgrade: a port-forward stream, or a 404 with why. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const target = this.#target(req);
    if (typeof target === 'string') {
      socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n\r\n${target}`);
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#pipe(ws, target, target.podPort));
  }

  closeAll(): void {
    for (const ws of this.#sockets) ws.terminate();
  }

  #target(req: IncomingMessage): (Target & { podPort: number }) | string {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward$/.exec(url.pathname);
    if (!m) return 'not a port-forward path';
    if (this.isForbidden('create pods/portforward') || this.isForbidden('get pods/portforward')) return 'forbidden';
    const podPort = Number(url.searchParams.get('ports'));
    if (!this.store.get(PODS, m[1], m[2]!)) return `pods "${m[2]}" not found`;
    const target = this.#routes.get(`${m[1]}/${m[2]}:${podPort}`);
    if (!target) return `no route for port ${podPort} of pod ${m[1]}/${m[2]}`;
    return { ...target, podPort };
  }

  /** Channel 0 carries data, channel 1 errors; each opens with the port number. */
  #pipe(ws: WebSocket, { host, port }: Target, podPort: number): void {
    this.#sockets.add(ws);
    const portFrame = (channel: number): Buffer => Buffer.from([channel, podPort & 0xff, (podPort >> 8) & 0xff]);
    ws.send(portFrame(0));
    ws.send(portFrame(1));
    const tcp = connect(port, host);
    tcp.on('data', (chunk) => ws.send(Buffer.concat([Buffer.from([0]), chunk])));
    tcp.on('error', (err) => {
      if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(`error forwarding port ${podPort}: ${err.message}`)]));
      ws.close();
    });
    tcp.on('close', () => ws.close());
    ws.on('message', (data: Buffer, isBinary) => {
      const buf = isBinary ? data : Buffer.from(data);
      if (buf.length > 1 && buf[0] === 0) tcp.write(buf.subarray(1));
    });
    ws.on('close', () => {
      this.#sockets.delete(ws);
      tcp.destroy();
    });
  }
}
