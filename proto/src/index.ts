export { seccomp } from '../gen/agent.js';
export * from './types.js';
export * from './errors.js';
export { AGENT_SERVICE_NAME, MAX_RECEIVE_MESSAGE_BYTES, MAX_REQUEST_BYTES, agentService } from './service.js';
export type { TlsFiles } from './tls.js';
export { createAgentClient, DEFAULT_TIMEOUT_MS, type AgentClient, type ClientOptions } from './client.js';
export { serveAgent, DEFAULT_STOP_GRACE_MS, type RunningServer, type ServerOptions } from './server.js';
export { checkHealth, type HealthCheckOptions, type HealthStatus } from './health.js';
export * from './profile-configmaps.js';
