export { seccomp } from '../gen/agent.js';
export * from './types.js';
export * from './errors.js';
export * from './api.js';
