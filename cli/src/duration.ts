import parse from 'parse-duration';

/** "10s", "1m30s", "500ms" -> ms; a bare number means seconds (like kubectl's --request-timeout). */
export function parseDurationMs(text: string): number {
  const trimmed = text.trim();
  const ms = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1000 : parse(trimmed);
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms <= 0) {
    throw new Error(`"${text}" is not a positive duration (examples: 10s, 1m, 500ms)`);
  }
  return Math.round(ms);
}
