export { KmsgSource, type KmsgSourceOptions } from './kmsg.js';
export { JournaldSource, readJournalLine, type JournaldSourceOptions } from './journald.js';
export { AuditNetlinkSource, probeAuditNetlink, type AuditNetlinkSourceOptions } from './audit-netlink.js';
export { AuditLogSource, DEFAULT_AUDIT_LOG, type AuditLogSourceOptions } from './audit-log.js';
export { journalctlArgs, seccompMatches, type JournalctlArgsInput, type KernelTransport } from './journalctl-args.js';
export { chooseSources, ALL_SOURCES, type NodeLogFacts, type SourceChoice } from './choose.js';
export { captureFacts, resolveSources, probeNodeLogs, type SourceResolveOptions, type SourceResolution } from './resolve.js';
