#!/usr/bin/env node
// `npm run package`: the CLI as one executable per platform (no Node needed where it runs) and the
// krew manifest for them, all under build/. Needs a built tree (`npm run build`).
//   1. esbuild bundles cli/ (every command, imported explicitly: oclif cannot glob a directory
//      inside a single file) into one ESM file;
//   2. Node's single executable application: the bundle becomes the asset of a small CommonJS main
//      (packaging/sea-main.cjs), and the blob is injected with postject into the official Node
//      binary for each platform, taken from the npm packages node-linux-<arch> (packaging/sea.json);
//   3. each executable is archived as krew wants it, and packaging/krew/seccomp.yaml is filled in.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { build } from 'esbuild';
import { inlineHealthProto, noDevtools } from './esbuild-plugins.mjs';


const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'build');
const work = join(out, 'sea');
const cache = join(out, 'cache');
const sea = JSON.parse(readFileSync(join(root, 'packaging/sea.json'), 'utf8'));
const cliPjson = JSON.parse(readFileSync(join(root, 'cli/package.json'), 'utf8'));
// The fuse Node's SEA support looks for (documented in Node's single-executable-applications docs).
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

function log(message) {
  process.stderr.write(`package: ${message}\n`);
}

function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...opts });
}

/** The entry the bundle starts from: every command class by id, handed to oclif without a filesystem. */
function writeEntry() {
  const dir = join(root, 'cli/dist/commands');
  if (!existsSync(dir)) throw new Error('cli/dist/commands is missing: run `npm run build` first');
  const ids = readdirSync(dir)
    .filter((f) => f.endsWith('.js') && !f.endsWith('.test.js'))
    .map((f) => f.slice(0, -3))
    .sort();
  const imports = ids.map((id, i) => `import C${i} from ${JSON.stringify(join(dir, `${id}.js`))};`).join('\n');
  const table = ids.map((id, i) => `  ${JSON.stringify(id)}: C${i},`).join('\n');
  const pjson = { ...cliPjson, oclif: { ...cliPjson.oclif, commands: { strategy: 'explicit', target: './commands.js', identifier: 'COMMANDS' } } };
  const entry = `import { Plugin, run, flush, handle } from '@oclif/core';
${imports}
const COMMANDS = {
${table}
};
// oclif's explicit discovery imports its target module from disk; in a single file the commands are
// already here.
Plugin.prototype.loadCommandsFromTarget = async function () {
  return COMMANDS;
};
const pjson = ${JSON.stringify(pjson)};
await run(process.argv.slice(2), { root: process.cwd(), pjson, userPlugins: false, devPlugins: false })
  .then(() => flush())
  .catch((err) => handle(err));
`;
  const file = join(work, 'entry.mjs');
  writeFileSync(file, entry);
  return { file, ids };
}

/**
 * The CLI as ESM files in work/dist: the entry (cli.mjs) and, split at every dynamic import, the
 * chunks only some commands load (the Kubernetes client, Ink, the syscall tables), so `--help` or
 * `lint` do not parse the whole 21 MB. Chunks sit beside the entry: modules that find files
 * relative to import.meta.url (the profile catalog) resolve the same from any of them.
 */
async function bundle(entry) {
  const dist = join(work, 'dist');
  await build({
    entryPoints: { cli: entry },
    outdir: dist,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: '[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${sea.nodeVersion}`,
    // Prefer ESM builds: UMD ones (jsonc-parser's) require() their parts at run time, out of esbuild's sight.
    mainFields: ['module', 'main'],
    // ws's optional native speed-ups: it falls back to JS when they are absent.
    external: ['bufferutil', 'utf-8-validate'],
    plugins: [inlineHealthProto, noDevtools],
    // CommonJS dependencies inside an ESM bundle still call require() for builtins.
    banner: {
      js: "import { createRequire as __ksRequire } from 'node:module'; const require = __ksRequire(import.meta.url); const __filename = process.execPath; const __dirname = '/';",
    },
    logLevel: 'warning',
    legalComments: 'none',
    minify: true,
    keepNames: true,
  });
  return Object.fromEntries(readdirSync(dist).map((f) => [`dist/${f}`, join(dist, f)]));
}

/** The official Node binary for one platform, from its npm package (cached in build/cache). */
function nodeBinary(platform) {
  const dir = join(cache, `${platform.npmPackage}-${sea.nodeVersion}`);
  const bin = join(dir, 'bin/node');
  if (existsSync(bin)) return bin;
  mkdirSync(cache, { recursive: true });
  const tgz = join(cache, `${platform.npmPackage}-${sea.nodeVersion}.tgz`);
  if (!existsSync(tgz)) {
    log(`fetching ${platform.npmPackage}@${sea.nodeVersion} from the npm registry`);
    sh('npm', ['pack', `${platform.npmPackage}@${sea.nodeVersion}`, '--pack-destination', cache, '--silent']);
  }
  mkdirSync(dir, { recursive: true });
  sh('tar', ['-xzf', tgz, '-C', dir, '--strip-components=1', 'package/bin/node']);
  return bin;
}

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

async function main() {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const { file: entry, ids } = writeEntry();
  log(`bundling ${ids.length} commands (${ids.join(', ')})`);
  const modules = await bundle(entry);
  copyFileSync(join(root, 'packaging/sea-main.cjs'), join(work, 'main.cjs'));
  // profiles' catalogDir() is ../catalog/ from the bundle: ship the catalog at that place.
  const catalog = join(root, 'profiles/catalog');
  const files = { ...modules, ...Object.fromEntries(readdirSync(catalog).map((f) => [`catalog/${f}`, join(catalog, f)])) };
  const sums = Object.fromEntries(Object.entries(files).map(([name, file]) => [name, sha256(file)]));
  const id = createHash('sha256').update(JSON.stringify(sums)).digest('hex').slice(0, 16);
  writeFileSync(join(work, 'manifest.json'), JSON.stringify({ id, main: 'dist/cli.mjs', files: sums }));
  const assets = { ...files, 'manifest.json': join(work, 'manifest.json') };
  const blob = join(work, 'sea-prep.blob');
  writeFileSync(
    join(work, 'sea-config.json'),
    JSON.stringify({
      main: join(work, 'main.cjs'),
      output: blob,
      disableExperimentalSEAWarning: true,
      // No snapshot or code cache: the same blob then serves every architecture.
      useSnapshot: false,
      useCodeCache: false,
      assets,
    }),
  );
  const hostPlatform = sea.platforms.find((p) => p.arch === { x64: 'amd64', arm64: 'arm64' }[process.arch]);
  if (!hostPlatform) throw new Error(`no platform in packaging/sea.json runs on this ${process.arch} machine to make the blob`);
  // The blob format belongs to the Node version: make it with the very binary it goes into.
  sh(nodeBinary(hostPlatform), ['--experimental-sea-config', join(work, 'sea-config.json')], { cwd: work });
  const archives = {};
  for (const p of sea.platforms) {
    const name = `kubectl-seccomp-${p.os}-${p.arch}`;
    const dir = join(out, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const exe = join(dir, 'kubectl-seccomp');
    copyFileSync(nodeBinary(p), exe);
    chmodSync(exe, 0o755);
    sh(join(root, 'node_modules/.bin/postject'), [exe, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE]);
    const archive = join(out, `${name}.tar.gz`);
    sh('tar', ['-czf', archive, '--owner=0', '--group=0', '--numeric-owner', '-C', dir, 'kubectl-seccomp']);
    archives[`${p.os}_${p.arch}`.toUpperCase()] = sha256(archive);
    log(`${archive} (sha256 ${archives[`${p.os}_${p.arch}`.toUpperCase()]})`);
  }
  let manifest = readFileSync(join(root, 'packaging/krew/seccomp.yaml'), 'utf8').replaceAll('{{VERSION}}', cliPjson.version);
  for (const [key, sum] of Object.entries(archives)) manifest = manifest.replaceAll(`{{SHA256_${key}}}`, sum);
  if (/\{\{[A-Z0-9_]+\}\}/.test(manifest)) throw new Error('packaging/krew/seccomp.yaml has a placeholder no platform filled');
  mkdirSync(join(out, 'krew'), { recursive: true });
  writeFileSync(join(out, 'krew/seccomp.yaml'), manifest);
  log(`${join(out, 'krew/seccomp.yaml')}`);
}

await main();
