#!/usr/bin/env node
// The agent as the image runs it: one esbuild bundle (agent/bundle/seccomp-agent.mjs), split at
// its dynamic imports so that the Kubernetes client is parsed only when there is an API to talk to.
// Why a bundle at all: loaded from node_modules, @kubernetes/client-node alone takes a node process
// from ~43 to ~117 MiB resident (hundreds of module records and their sources kept alive by the ESM
// loader); the same code bundled and minified costs ~23 MiB (docs/performance.md, agent memory).
// Run by `npm run build` (after tsc: it bundles the compiled dist/).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { build } from 'esbuild';
import { NODE_VERSION } from './node-version.mjs';
import { jsonAsParse, nodeEsmBundle } from './esbuild-plugins.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'agent/bundle');

rmSync(outdir, { recursive: true, force: true });
await build({
  ...nodeEsmBundle,
  entryPoints: { 'seccomp-agent': join(root, 'agent/dist/bin.js') },
  outdir,
  target: `node${NODE_VERSION}`,
  plugins: [jsonAsParse],
  sourcemap: 'linked',
});
