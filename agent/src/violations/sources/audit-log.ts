import type { FileHandle } from 'node:fs/promises';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../log.js';
import { silentLogger } from '../../log.js';
import { readAuditStamp } from '../parse/audit-text.js';
import type { RecordSource, SourceSink, StartOptions } from '../source.js';
import { LineSplitter } from './line-splitter.js';
import { auditLineMayConcernSeccomp } from './prefilter.js';

export const DEFAULT_AUDIT_LOG = 'var/log/audit/audit.log';

export interface AuditLogSourceOptions {
  /** The host's filesystem root. */
  hostRoot: string;
  /** The log, relative to hostRoot (auditd.conf `log_file`). Default var/log/audit/audit.log. */
  logFile?: string;
  /** Forward only SECCOMP lines (see prefilter.ts). Default true. */
  prefilter?: boolean;
  /** How often the file is checked for new data, rotation and truncation. Default 250 ms. */
  pollIntervalMs?: number;
  logger?: Logger;
}

const READ_CHUNK = 64 * 1024;

interface OpenLog {
  handle: FileHandle;
  dev: number;
  ino: number;
  position: number;
}

/**
 * Follows audit.log like `tail -F`: new lines as auditd appends them, across rotation (the file
 * renamed away and a new one created: the old one is read to its end first) and truncation
 * (read again from the start). Polling, not inotify: it works the same on every filesystem a
 * host root can be mounted from, and auditd's rotation is rare.
 */
export class AuditLogSource implements RecordSource {
  readonly name = 'auditlog' as const;
  private readonly path: string;
  private readonly prefilter: boolean;
  private readonly pollIntervalMs: number;
  private readonly log: Logger;
  private readonly buffer = Buffer.allocUnsafe(READ_CHUNK);
  private readonly lines = new LineSplitter();
  private current: OpenLog | undefined;
  private sink: SourceSink | undefined;
  private sinceUnixMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private polling: Promise<void> = Promise.resolve();
  /** The first line read after opening at the end may be the tail of a line already written. */
  private dropFragment = false;
  private reported = false;
  private lastError: string | undefined;

  constructor(opts: AuditLogSourceOptions) {
    this.path = join(opts.hostRoot, opts.logFile ?? DEFAULT_AUDIT_LOG);
    this.prefilter = opts.prefilter ?? true;
    this.pollIntervalMs = opts.pollIntervalMs ?? 250;
    this.log = opts.logger ?? silentLogger;
  }

  /** Resolves once positioned: at the end of the log (sinceUnixMs 0) or at its start. */
  async start(sink: SourceSink, opts: StartOptions): Promise<void> {
    if (this.running) throw new Error('auditlog source already started');
    this.running = true;
    this.sink = sink;
    this.sinceUnixMs = opts.sinceUnixMs;
    this.polling = this.poll(opts.sinceUnixMs === 0);
    await this.polling;
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling;
    await this.closeCurrent();
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.polling = this.poll(false);
    }, this.pollIntervalMs);
  }

  private async poll(atEnd: boolean): Promise<void> {
    try {
      await this.follow(atEnd);
    } catch (err) {
      this.setHealthy(`${this.path}: ${(err as Error).message}`);
    }
    this.schedule();
  }

  private async follow(atEnd: boolean): Promise<void> {
    const onDisk = await statOrUndefined(this.path);
    if (this.current && onDisk && (onDisk.ino !== this.current.ino || onDisk.dev !== this.current.dev)) {
      // Rotated: auditd renamed the old file and started a new one. Finish the old one first.
      await this.readAvailable(this.current);
      const tail = this.lines.flush();
      if (tail !== undefined) this.emit(tail);
      await this.closeCurrent();
    }
    if (!this.current) {
      if (!onDisk) throw new Error('not found (is auditd writing elsewhere?)');
      // A log that appears after we started holds only new records: read it from the start.
      await this.openLog(atEnd);
    }
    if (!this.current) return;
    this.setHealthy(undefined);
    await this.readAvailable(this.current);
  }

  private async openLog(atEnd: boolean): Promise<void> {
    const handle = await open(this.path, 'r');
    try {
      const st = await handle.stat();
      let position = 0;
      this.dropFragment = false;
      if (atEnd && st.size > 0) {
        position = st.size;
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, st.size - 1);
        this.dropFragment = last[0] !== 0x0a;
      }
      this.lines.reset();
      this.current = { handle, dev: st.dev, ino: st.ino, position };
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  private async readAvailable(log: OpenLog): Promise<void> {
    const { size } = await log.handle.stat();
    if (size < log.position) {
      this.log.info({ source: 'auditlog', path: this.path }, 'audit log truncated: reading it from the start');
      log.position = 0;
      this.lines.reset();
      this.dropFragment = false;
    }
    for (;;) {
      const { bytesRead } = await log.handle.read(this.buffer, 0, this.buffer.length, log.position);
      if (bytesRead === 0) return;
      log.position += bytesRead;
      for (const line of this.lines.push(this.buffer.subarray(0, bytesRead))) {
        if (this.dropFragment) {
          this.dropFragment = false;
          continue;
        }
        this.emit(line);
      }
      if (!this.running) return;
    }
  }

  private emit(line: string): void {
    if (line.length === 0 || !this.sink) return;
    if (this.prefilter && !auditLineMayConcernSeccomp(line)) return;
    if (this.sinceUnixMs > 0) {
      const at = line.indexOf('audit(');
      const stamp = at < 0 ? undefined : readAuditStamp(line, at);
      if (stamp && stamp.timeUnixMs < this.sinceUnixMs) return;
    }
    this.sink.record({ source: 'auditlog', kind: 'auditlog', line });
  }

  /** Tells the sink about changes only: a missing log is reported once, not at every poll. */
  private setHealthy(error: string | undefined): void {
    if (error === this.lastError && this.reported) return;
    this.reported = true;
    this.lastError = error;
    if (error === undefined) {
      this.sink?.healthy();
      return;
    }
    this.log.warn({ source: 'auditlog' }, error);
    this.sink?.unhealthy(error);
  }

  private async closeCurrent(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    await current?.handle.close();
  }
}

async function statOrUndefined(path: string): Promise<{ dev: number; ino: number } | undefined> {
  try {
    return await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
