#!/usr/bin/env node
// The agent as the image runs it: one esbuild bundle (agent/bundle/seccomp-agent.mjs), split at
// its dynamic imports so that the Kubernetes client is parsed only when there is an API to talk to.
// Why a bundle at all: loaded from node_modules, @kubernetes/client-node alone takes a node process
// from ~43 to ~117 MiB resident (hundreds of module records and their sources kept alive by the ESM
// loader); the same code bundled and minified costs ~23 MiB (docs/performance.md, agent memory).
// Run by `npm run build` (after tsc: it bundles the compiled dist/).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { build } from 'esbuild';
import { inlineHealthProto } from './esbuild-plugins.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'agent/bundle');

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { 'seccomp-agent': join(root, 'agent/dist/bin.js') },
  outdir,
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'chunk-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: `node${process.versions.node.split('.')[0]}`,
  mainFields: ['module', 'main'],
  // ws's optional native speed-ups: it falls back to JS when they are absent.
  external: ['bufferutil', 'utf-8-validate'],
  plugins: [inlineHealthProto],
  // CommonJS dependencies inside an ESM bundle still call require() for builtins and read __dirname
  // (grpc-health-check's proto path, unused once the plugin inlines it).
  banner: {
    js: "import { createRequire as __ksRequire } from 'node:module'; import { dirname as __ksDirname } from 'node:path'; import { fileURLToPath as __ksPath } from 'node:url'; const require = __ksRequire(import.meta.url); const __filename = __ksPath(import.meta.url); const __dirname = __ksDirname(__filename);",
  },
  logLevel: 'warning',
  legalComments: 'none',
  minify: true,
  keepNames: true,
  sourcemap: 'linked',
});
