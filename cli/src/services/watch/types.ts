import type { StreamStats, Violation } from '@kubectl-seccomp/proto';

/** Where one node's stream is: shown in the header, reported on stderr in JSON mode. */
export type ConnState =
  | { phase: 'connecting'; attempt: number }
  | { phase: 'streaming' }
  | { phase: 'reconnecting'; failures: number; delayMs: number; error: string }
  | { phase: 'failed'; error: string }
  | { phase: 'stopped' };

export type ConnPhase = ConnState['phase'];

/** One item of the merged stream of all nodes. */
export type WatchUpdate =
  | { kind: 'violation'; node: string; violation: Violation }
  | { kind: 'stats'; node: string; stats: StreamStats }
  | { kind: 'state'; node: string; state: ConnState }
  /** A node given only as an address (--agent HOST:PORT) is labelled `name` from now on, as its agent says. */
  | { kind: 'named'; node: string; name: string }
  /** A violation `-l` could not place (no pod name nor UID): counted with the agent's unattributed ones, not shown. */
  | { kind: 'unplaced'; node: string };

export type UpdateSink = (update: WatchUpdate) => void;
