/** Kept equal to agent/package.json's version (a test checks it) so bundles need no package.json. */
export const AGENT_VERSION = '0.1.0';
