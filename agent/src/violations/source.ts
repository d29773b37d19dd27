import type { LossReason, ViolationSource } from '@kubectl-seccomp/proto';
import type { SourcePositions } from '../state/index.js';
import type { JournalEntry } from './parse/journal-entry.js';

/**
 * What a source hands the pipeline: raw material, unparsed. Sources only read and frame; the
 * pipeline parses, so parsing stays pure and one parser serves every source that carries a format.
 */
export type RawRecord =
  /** kmsg: the TEXT part of `PRIORITY,SEQ,USEC,FLAGS;TEXT`, with the kmsg header fields. */
  | { source: 'kmsg'; kind: 'kmsg'; text: string; seq: number; usec: number }
  /** journald: one line of `journalctl -o json`, read field by field. */
  | { source: 'journald'; kind: 'journal'; entry: JournalEntry }
  /** /var/log/audit/audit.log: one line, possibly with auditd's enriched part after 0x1d. */
  | { source: 'auditlog'; kind: 'auditlog'; line: string }
  /** The audit multicast group (seccomp-capture audit): kernel text as kmsg has it, `type=1326 audit(...): ...`. */
  | { source: 'netlink'; kind: 'audit'; text: string };

export interface SourceSink {
  record(raw: RawRecord): void;
  /**
   * The source knows records were lost (kmsg overrun: sequence gap). Default reason 'ring-overrun';
   * atUnixMs dates the loss (the first record after the gap) for watchers that replay from a time.
   */
  lost(count: number, detail?: { reason: LossReason; atUnixMs?: number }): void;
  /** The source read up to here: what a restarted agent resumes after (--state-dir). */
  advanced?(position: SourcePositions): void;
  /** The source is reading normally (again). */
  healthy(): void;
  /** The source failed; it keeps retrying on its own where it can. */
  unhealthy(error: string): void;
}

export interface StartOptions {
  /** Replay from this time (ms since the epoch) where the source can; 0 = only new records. */
  sinceUnixMs: number;
  /** Where the previous agent stopped reading (--state-dir): wins over sinceUnixMs for this source. */
  resume?: SourcePositions;
}

export interface RecordSource {
  readonly name: ViolationSource;
  start(sink: SourceSink, opts: StartOptions): Promise<void>;
  /** Stops reading and releases every fd and child process; resolves when done. */
  stop(): Promise<void>;
}
