export { CaptureHelper, CaptureUnavailableError, findCaptureHelper, type CaptureMode } from './capture-helper.js';
export { parseAuditLine, parseProcLine, type AuditEvent, type ProcEvent } from './helper-lines.js';
export { ProcessTracker, type TrackedIdentity } from './process-tracker.js';
export { ProcessTracking, type ProcessTrackingOptions } from './process-tracking.js';
export { startProcessTracking, type TrackingChoice } from './start-tracking.js';
