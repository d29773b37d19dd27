import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import { decideResume, type ResumeDecision, type SourcePositions } from './positions.js';
import { readStateFile, writeStateFile } from './state-file.js';

export interface PositionKeeperOptions {
  /** --state-dir: created when missing. */
  dir: string;
  /** The host's / (the boot id is read under it). */
  hostRoot: string;
  /** At most one write per this many ms while positions move. Default 1000. */
  intervalMs?: number;
  logger?: Logger;
}

/** The kernel's id of this boot; kmsg sequence numbers are only meaningful within one. */
export async function readBootId(hostRoot: string): Promise<string> {
  return (await readFile(join(hostRoot, 'proc/sys/kernel/random/boot_id'), 'utf8')).trim();
}

/**
 * Keeps the sources' places in `<dir>/positions.json` so a restarted agent reads on where the last one
 * stopped. Positions move with every record; the file is written at most every intervalMs (and on
 * stop), so a crash replays at most that much, which watchers drop by audit id.
 */
export class PositionKeeper {
  private readonly positions: SourcePositions;
  private readonly intervalMs: number;
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private lastWriteMs = 0;
  private dirty = false;
  private stopped = false;

  private constructor(
    private readonly opts: PositionKeeperOptions,
    private readonly bootId: string,
    /** What the sources start from. */
    readonly decision: ResumeDecision,
  ) {
    this.positions = decision.kind === 'resume' ? { ...decision.positions } : {};
    this.intervalMs = opts.intervalMs ?? 1000;
    this.log = opts.logger ?? silentLogger;
  }

  static async open(opts: PositionKeeperOptions): Promise<PositionKeeper> {
    await mkdir(opts.dir, { recursive: true, mode: 0o700 });
    const bootId = await readBootId(opts.hostRoot);
    const decision = decideResume(await readStateFile(opts.dir), bootId);
    const keeper = new PositionKeeper(opts, bootId, decision);
    keeper.log.info({ stateDir: opts.dir, ...(decision.kind === 'resume' ? { resume: decision.positions } : { fresh: decision.reason }) }, 'source positions');
    return keeper;
  }

  /** Where to resume; empty on a fresh start. */
  get resume(): SourcePositions {
    return this.decision.kind === 'resume' ? this.decision.positions : {};
  }

  advance(update: SourcePositions): void {
    if (this.stopped) return;
    Object.assign(this.positions, update);
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.flush();
      },
      Math.max(0, this.lastWriteMs + this.intervalMs - Date.now()),
    );
  }

  /** Writes what is pending one last time; later advances are ignored. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
    await this.writing;
  }

  private flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.lastWriteMs = Date.now();
    const state = { version: 1 as const, bootId: this.bootId, positions: { ...this.positions } };
    this.writing = this.writing
      .then(() => writeStateFile(this.opts.dir, state))
      .catch((err: unknown) => this.log.warn({ stateDir: this.opts.dir, err: String(err) }, 'cannot save source positions'));
  }
}
