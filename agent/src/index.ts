export * from './reconcile/contract.js';
export { createLocalAgent, type LocalAgent, type LocalAgentOptions } from './local.js';
export { runAgent, type RunningAgent } from './run.js';
export { parseAgentArgs, type AgentConfig, type SourceName } from './config.js';
export { AgentService } from './service.js';
export { AGENT_VERSION } from './version.js';
