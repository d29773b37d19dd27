/** See agentInternals.ts: reached in the agent's build output until the package exports it. */
export { ViolationPipeline } from '../../../agent/dist/violations/index.js';
