/**
 * The agent package exports neither its violation pipeline nor its sources (its index is the
 * agent's public surface, not settled yet), so the kernel tests reach them in its build output.
 * Once @kubectl-seccomp/agent exports these names, import them from there and delete this file.
 * The pipeline lives in agentPipeline.ts: it loads the syscall tables, the sources do not.
 */
export type { RawRecord, RecordSource, SourceSink, StartOptions } from '../../../agent/dist/violations/source.js';
export { JournaldSource, KmsgSource } from '../../../agent/dist/violations/sources/index.js';
export { silentLogger } from '../../../agent/dist/log.js';
