import { closeSync, constants, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../log.js';
import { silentLogger } from '../../log.js';
import type { RecordSource, SourceSink, StartOptions } from '../source.js';
import { bootTimeUnixMs } from './boot-time.js';
import { parseKmsgRecord, unescapeKmsgText } from './kmsg-record.js';
import { mayConcernSeccomp } from './prefilter.js';
import { SeqGapCounter } from './seq-gap.js';

export interface KmsgSourceOptions {
  /** The host's filesystem root; the device is `<hostRoot>/dev/kmsg`. */
  hostRoot: string;
  /** Forward only records that may concern seccomp (see prefilter.ts). Default true. */
  prefilter?: boolean;
  /** Wait after the ring buffer ran dry, before reading again. Default 50 ms. */
  pollIntervalMs?: number;
  /** While nothing arrives, the wait doubles up to this. Default 250 ms. */
  maxPollIntervalMs?: number;
  /** Wait before reopening the device after it failed. Default 5 s. */
  retryIntervalMs?: number;
  logger?: Logger;
}

/** The kernel refuses reads into a buffer smaller than the record; records are at most 8 KiB + dict. */
const READ_BUFFER_BYTES = 16 * 1024;
/** Records read per turn of the event loop before yielding to other work. */
const BATCH = 2000;

/**
 * Follows the kernel ring buffer through /dev/kmsg.
 *
 * Node cannot poll(2) a character device (net.Socket rejects it as a FILE fd, and a blocking read
 * would pin a libuv pool thread), so the device is opened O_NONBLOCK and read synchronously on the
 * event loop: every read is one record or EAGAIN, never a wait. When it runs dry the source sleeps
 * pollIntervalMs, doubling while the ring stays quiet (an EAGAIN costs a thrown Error in Node, so
 * idle polling is not free). Nothing is lost by the wait: the ring holds the records. Reads happen in batches so a flood of records cannot starve the event loop.
 */
export class KmsgSource implements RecordSource {
  readonly name = 'kmsg' as const;
  private readonly hostRoot: string;
  private readonly path: string;
  private readonly prefilter: boolean;
  private readonly pollIntervalMs: number;
  private readonly maxPollIntervalMs: number;
  private idleWaitMs: number;
  private readonly retryIntervalMs: number;
  private readonly log: Logger;
  private readonly buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  private gaps = new SeqGapCounter();
  /** Resumed after a previous agent's SEQ: the first gap is what the ring overwrote while none read it. */
  private resuming = false;
  private fd: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private sink: SourceSink | undefined;
  private sinceUnixMs = 0;
  private bootUnixMs = 0;
  private running = false;

  constructor(opts: KmsgSourceOptions) {
    this.path = join(opts.hostRoot, 'dev/kmsg');
    this.prefilter = opts.prefilter ?? true;
    this.pollIntervalMs = opts.pollIntervalMs ?? 50;
    this.maxPollIntervalMs = Math.max(this.pollIntervalMs, opts.maxPollIntervalMs ?? 250);
    this.idleWaitMs = this.pollIntervalMs;
    this.retryIntervalMs = opts.retryIntervalMs ?? 5000;
    this.log = opts.logger ?? silentLogger;
    this.hostRoot = opts.hostRoot;
  }

  /**
   * Resolves once positioned: after the SEQ to resume from, else at the end of the ring (sinceUnixMs 0)
   * or at its oldest record.
   */
  async start(sink: SourceSink, opts: StartOptions): Promise<void> {
    if (this.running) throw new Error('kmsg source already started');
    this.running = true;
    this.sink = sink;
    const resumeSeq = opts.resume?.kmsgSeq;
    if (resumeSeq !== undefined) {
      this.gaps = new SeqGapCounter(resumeSeq);
      this.resuming = true;
    } else this.sinceUnixMs = opts.sinceUnixMs;
    if (this.sinceUnixMs > 0 || this.resuming) this.bootUnixMs = await bootTimeUnixMs(this.hostRoot);
    this.open(this.sinceUnixMs === 0 && !this.resuming);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    this.closeFd();
  }

  private open(skipExisting: boolean): void {
    if (!this.running) return;
    try {
      this.fd = openSync(this.path, constants.O_RDONLY | constants.O_NONBLOCK);
      if (skipExisting) this.skipToEnd();
    } catch (err) {
      this.fail(`cannot read ${this.path}: ${(err as Error).message}`, skipExisting);
      return;
    }
    this.sink?.healthy();
    this.drain();
  }

  /** A fresh open starts at the oldest record; reading to EAGAIN is Node's lseek(SEEK_END). */
  private skipToEnd(): void {
    for (;;) {
      const raw = this.readOne();
      if (raw === undefined) return;
      if (raw === 'overrun') continue;
      const record = parseKmsgRecord(raw);
      if (record && this.gaps.next(record.seq) !== 'seen') this.sink?.advanced?.({ kmsgSeq: record.seq });
    }
  }

  /** One record, 'overrun' after EPIPE, or undefined when the ring has nothing new (EAGAIN). */
  private readOne(): string | 'overrun' | undefined {
    if (this.fd === undefined) return undefined;
    let n: number;
    try {
      n = readSync(this.fd, this.buffer, 0, this.buffer.length, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') return undefined;
      if (code === 'EPIPE') return 'overrun';
      throw err;
    }
    return this.buffer.toString('latin1', 0, n);
  }

  private drain(): void {
    this.immediate = undefined;
    this.timer = undefined;
    if (!this.running || !this.sink) return;
    const sink = this.sink;
    try {
      for (let i = 0; i < BATCH; i++) {
        const raw = this.readOne();
        if (raw === undefined) {
          // Caught up with the ring: a later gap is an overrun while reading, not the downtime's.
          this.resuming = false;
          this.idleWaitMs = i === 0 ? Math.min(this.idleWaitMs * 2, this.maxPollIntervalMs) : this.pollIntervalMs;
          this.timer = setTimeout(() => this.drain(), this.idleWaitMs);
          return;
        }
        if (raw === 'overrun') continue;
        this.deliver(raw, sink);
      }
    } catch (err) {
      this.fail(`reading ${this.path}: ${(err as Error).message}`, false);
      return;
    }
    this.immediate = setImmediate(() => this.drain());
  }

  private deliver(raw: string, sink: SourceSink): void {
    const record = parseKmsgRecord(raw);
    if (!record) {
      this.log.warn({ source: 'kmsg', raw: raw.slice(0, 200) }, 'kmsg record without a valid header');
      return;
    }
    const lost = this.gaps.next(record.seq);
    if (lost === 'seen') return;
    sink.advanced?.({ kmsgSeq: record.seq });
    if (lost > 0) {
      const reason = this.resuming ? 'overwritten-while-down' : 'ring-overrun';
      sink.lost(lost, { reason, ...(this.bootUnixMs > 0 ? { atUnixMs: this.bootUnixMs + record.usec / 1000 } : {}) });
    }
    this.resuming = false;
    if (this.prefilter && !mayConcernSeccomp(record.text)) return;
    if (this.sinceUnixMs > 0 && this.bootUnixMs + record.usec / 1000 < this.sinceUnixMs) return;
    sink.record({ source: 'kmsg', kind: 'kmsg', text: unescapeKmsgText(record.text), seq: record.seq, usec: record.usec });
  }

  /** Reopening after a failure resumes at the oldest record; the sequence numbers tell what was already seen. */
  private fail(message: string, skipExisting: boolean): void {
    this.closeFd();
    this.log.warn({ source: 'kmsg' }, message);
    this.sink?.unhealthy(message);
    if (!this.running) return;
    this.timer = setTimeout(() => this.open(skipExisting), this.retryIntervalMs);
  }

  private closeFd(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // Already closed: nothing left to release.
    }
    this.fd = undefined;
  }
}
