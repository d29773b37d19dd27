// The Node release the project builds, tests and ships with (.node-version), for the build scripts.
import { readFileSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';

export const NODE_VERSION = readFileSync(fileURLToPath(new URL('../.node-version', import.meta.url)), 'utf8').trim();
