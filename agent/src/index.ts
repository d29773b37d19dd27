export { createLocalAgent, type LocalAgent, type LocalAgentOptions } from './local.js';
export { runAgent, type RunningAgent } from './run.js';
export { parseAgentArgs, type AgentConfig, type SourceName } from './config.js';
export { AgentService } from './service.js';
export { AGENT_VERSION } from './version.js';
export { createLogger, silentLogger, type Logger, type LogLevel } from './log.js';
export { ViolationPipeline, type ViolationPipelineOptions } from './violations/index.js';
export type { RawRecord, RecordSource, SourceSink, StartOptions } from './violations/source.js';
export { JournalEntry } from './violations/parse/journal-entry.js';
export {
  AuditLogSource,
  AuditNetlinkSource,
  JournaldSource,
  journalctlArgs,
  KmsgSource,
  readJournalLine,
  resolveSources,
  type KernelTransport,
} from './violations/sources/index.js';
export { findCaptureHelper, ProcessTracker, ProcessTracking, startProcessTracking } from './violations/capture/index.js';
export { ProcessIdentities } from './violations/processes.js';
export { ProfileStore } from './store/index.js';
export { doctor, type NodeEnvironment } from './checks/index.js';
export { taintRemovalPatch } from './kube/readiness-taint.js';
