/**
 * Where each source stopped reading, as kept in the state file. Pure: what to resume from is decided
 * here; reading and writing the file is state-file.ts's job.
 */
export interface SourcePositions {
  /** SEQ of the last /dev/kmsg record read (any record, not only seccomp ones). */
  kmsgSeq?: number;
  /** `__CURSOR` of the last journal entry read. */
  journalCursor?: string;
}

export interface SavedState {
  version: 1;
  /** /proc/sys/kernel/random/boot_id when the positions were taken: kmsg numbers restart at boot. */
  bootId: string;
  positions: SourcePositions;
}

export type ResumeDecision = { kind: 'resume'; positions: SourcePositions } | { kind: 'fresh'; reason: 'no-state' | 'boot-changed' | 'unreadable' };

/** What a start after `saved` resumes from: nothing from another boot, nor from a damaged file. */
export function decideResume(saved: SavedState | 'missing' | 'unreadable', bootId: string): ResumeDecision {
  if (saved === 'missing') return { kind: 'fresh', reason: 'no-state' };
  if (saved === 'unreadable') return { kind: 'fresh', reason: 'unreadable' };
  if (saved.bootId !== bootId) return { kind: 'fresh', reason: 'boot-changed' };
  return { kind: 'resume', positions: saved.positions };
}

/** The state file's text, or 'unreadable' when it is not a state this agent wrote. */
export function parseSavedState(text: string): SavedState | 'unreadable' {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'unreadable';
  }
  if (typeof value !== 'object' || value === null) return 'unreadable';
  const v = value as Record<string, unknown>;
  if (v.version !== 1 || typeof v.bootId !== 'string' || typeof v.positions !== 'object' || v.positions === null) return 'unreadable';
  const p = v.positions as Record<string, unknown>;
  const positions: SourcePositions = {};
  if (Number.isSafeInteger(p.kmsgSeq) && (p.kmsgSeq as number) >= 0) positions.kmsgSeq = p.kmsgSeq as number;
  if (typeof p.journalCursor === 'string' && p.journalCursor !== '' && p.journalCursor.length <= 4096) positions.journalCursor = p.journalCursor;
  return { version: 1, bootId: v.bootId, positions };
}

export function serializeSavedState(state: SavedState): string {
  return `${JSON.stringify(state)}\n`;
}
