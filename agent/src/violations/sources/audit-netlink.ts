import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../log.js';
import { silentLogger } from '../../log.js';
import { CaptureHelper, CaptureUnavailableError, findCaptureHelper } from '../capture/capture-helper.js';
import { parseAuditLine } from '../capture/helper-lines.js';
import type { RecordSource, SourceSink } from '../source.js';
import { LineSplitter } from './line-splitter.js';

export type NetlinkProbe = { usable: true } | { usable: false; reason: string };

/**
 * Joins the group once and leaves, or connects to the relay: whether this node allows it, and why not.
 * The relay is its own DaemonSet and may start after the agent: it gets `relayWaitMs` to appear.
 */
export async function probeAuditNetlink(opts: AuditNetlinkSourceOptions & { relayWaitMs?: number } = {}): Promise<NetlinkProbe> {
  if (opts.relaySocket) {
    const deadline = Date.now() + (opts.relayWaitMs ?? 10_000);
    for (;;) {
      const probe = await connectOnce(opts.relaySocket);
      if (probe.usable || Date.now() >= deadline) return probe;
      await sleep(500);
    }
  }
  const binary = opts.helper ?? (await findCaptureHelper());
  if (!binary) return { usable: false, reason: 'seccomp-capture is not installed' };
  const probe = new CaptureHelper(binary, 'audit', { line: () => undefined, exited: () => undefined });
  try {
    await probe.start();
    return { usable: true };
  } catch (err) {
    return { usable: false, reason: err instanceof Error ? err.message : String(err) };
  } finally {
    await probe.stop();
  }
}

function connectOnce(path: string): Promise<NetlinkProbe> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve({ usable: true });
    });
    s.once('error', (err) => resolve({ usable: false, reason: `the audit relay at ${path} cannot be reached: ${err.message}` }));
  });
}

export interface AuditNetlinkSourceOptions {
  /** The seccomp-capture binary; default: findCaptureHelper(). */
  helper?: string;
  /** Read from a relay (`seccomp-capture audit-relay SOCKET`, hostNetwork) instead of joining the group here. */
  relaySocket?: string;
  /** Wait before reconnecting to a relay that went away. Default 1 s. */
  reconnectMs?: number;
  logger?: Logger;
}

/**
 * Every type=1326 record from the kernel's audit multicast group (what journald's audit socket reads):
 * not subject to printk's rate limit. Joining it needs CAP_AUDIT_READ in the initial network
 * namespace: directly through `seccomp-capture audit`, or from the relay that has those. Records carry
 * the kernel text without its `type=1326 ` prefix, put back here so that the kernel-text parser and
 * the de-duplication key read them as they read kmsg.
 */
export class AuditNetlinkSource implements RecordSource {
  readonly name = 'netlink' as const;
  private helper: CaptureHelper | undefined;
  private socket: Socket | undefined;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly log: Logger;

  constructor(private readonly opts: AuditNetlinkSourceOptions = {}) {
    this.log = opts.logger ?? silentLogger;
  }

  /** Rejects with CaptureUnavailableError when the group cannot be joined here. */
  async start(sink: SourceSink): Promise<void> {
    this.stopped = false;
    if (this.opts.relaySocket) return this.connectRelay(sink, this.opts.relaySocket);
    const binary = this.opts.helper ?? (await findCaptureHelper());
    if (!binary) throw new CaptureUnavailableError('seccomp-capture is not installed (agent/native, scripts/build-native.sh)', false);
    const helper = new CaptureHelper(binary, 'audit', {
      line: (line) => this.onLine(sink, line),
      exited: (reason) => {
        this.log.warn({ reason }, 'audit netlink reader stopped');
        sink.unhealthy(reason);
      },
    });
    await helper.start();
    this.helper = helper;
    sink.healthy();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    this.socket?.destroy();
    await this.helper?.stop();
    this.helper = undefined;
  }

  private onLine(sink: SourceSink, line: string): void {
    const event = parseAuditLine(line);
    if (event?.kind === 'seccomp') sink.record({ source: 'netlink', kind: 'audit', text: `type=1326 ${event.text}` });
    // The socket's buffer overflowed: at least one record is gone, the kernel does not say how many.
    else if (event?.kind === 'overrun') sink.lost(1);
    else if (event?.kind === 'missed') sink.lost(event.count);
  }

  /** Resolves once connected the first time; later losses of the relay are retried. */
  private connectRelay(sink: SourceSink, path: string): Promise<void> {
    return new Promise((resolve, reject) => {
      let connected = false;
      const socket = connect(path);
      this.socket = socket;
      const lines = new LineSplitter();
      socket.on('data', (chunk: Buffer) => {
        for (const line of lines.push(chunk)) this.onLine(sink, line);
      });
      socket.once('connect', () => {
        connected = true;
        sink.healthy();
        resolve();
      });
      socket.once('error', (err) => {
        if (!connected) reject(new CaptureUnavailableError(`the audit relay at ${path} cannot be reached: ${err.message}`, false));
      });
      socket.once('close', () => {
        if (!connected || this.stopped) return;
        sink.unhealthy(`the audit relay at ${path} went away`);
        this.scheduleReconnect(sink, path);
      });
    });
  }

  private scheduleReconnect(sink: SourceSink, path: string): void {
    this.retry = setTimeout(() => {
      if (this.stopped) return;
      this.connectRelay(sink, path).catch((err: unknown) => {
        sink.unhealthy(err instanceof Error ? err.message : String(err));
        this.scheduleReconnect(sink, path);
      });
    }, this.opts.reconnectMs ?? 1000);
  }
}
