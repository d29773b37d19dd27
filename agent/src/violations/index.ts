export type { RawRecord, RecordSource, SourceSink, StartOptions } from './source.js';
export type { SeccompRecord, ParseOutcome, Reading } from './record.js';
export { parseRaw, readRaw, readAuditBody, readKernelText, readJournalEntry, readAuditLogLine } from './parse/index.js';
export { nullPodResolver, type PodNames, type PodResolver } from './pod-resolver.js';
export { ViolationPipeline, type ViolationPipelineOptions } from './pipeline.js';
export { profilesNaming, type SyscallNaming } from './enrich.js';
