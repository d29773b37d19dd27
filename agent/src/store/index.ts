export { ProfileStore, type StoreOptions, type SyncOptions, type StoredProfile } from './store.js';
export type { Origin } from './index-file.js';
export { pathProblem, MAX_DEPTH, MAX_PATH_BYTES, MAX_SEGMENT_BYTES } from './paths.js';
export { DEFAULT_LIMITS, profileProblem, type Limits } from './validate.js';
