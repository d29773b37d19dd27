export { TestApiServer, type TestApiServerOptions, type RequestRecord } from './server.js';
export type { KubeObject, StoredEvent } from './store.js';
export * from './fixtures.js';
