// The CLI's machine-readable output, for programs (and this repo's tests) that read it.
export type * from './output/types.js';
export type { StatsRecord, ViolationRecord } from './ui/watch/json-lines.js';
