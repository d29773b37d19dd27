export { seccomp } from '../gen/agent.js';
