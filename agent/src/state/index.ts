export { PositionKeeper, readBootId, type PositionKeeperOptions } from './position-keeper.js';
export { decideResume, parseSavedState, type ResumeDecision, type SavedState, type SourcePositions } from './positions.js';
export { readStateFile, writeStateFile, STATE_FILE } from './state-file.js';
