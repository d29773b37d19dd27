#!/usr/bin/env node
// `npm run package`: the CLI as one executable per platform (no Node needed where it runs) and the
// krew manifest for them, all under build/. Needs a built tree (`npm run build`).
// `--fetch-node` only installs the Node binaries of every platform (scripts/test.sh, before the tests).
//   1. the CLI's bundle (scripts/bundle-cli.mjs, as `npm run build` writes it to cli/dist);
//   2. Node's single executable application: the bundle's files become the assets of a small
//      CommonJS main (packaging/sea-main.cjs), and the blob is injected with postject into the
//      official Node binary for each platform, the pinned release (.node-version) taken from the
//      npm packages node-linux-<arch> (scripts/install-node.sh; platforms in packaging/sea.json);
//   3. each executable is archived as krew wants it, and packaging/krew/seccomp.yaml is filled in.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { bundleCli } from './bundle-cli.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'build');
const work = join(out, 'sea');
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

/** The official Node binary of the pinned release for one platform (scripts/install-node.sh: cached in .tools/node). */
function nodeBinary(platform) {
  return sh(join(root, 'scripts/install-node.sh'), [platform.nodeArch]).trim();
}

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

async function main() {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const { ids, files } = await bundleCli();
  log(`bundled ${ids.length} commands (${ids.join(', ')})`);
  copyFileSync(join(root, 'packaging/sea-main.cjs'), join(work, 'main.cjs'));
  // The build id names the unpack directory, so it covers every byte and name; sizes let a start
  // check that directory with a stat per file instead of reading and hashing 10 MB.
  const sums = Object.fromEntries(Object.entries(files).map(([name, file]) => [name, sha256(file)]));
  const id = createHash('sha256').update(JSON.stringify(sums)).digest('hex').slice(0, 16);
  const sizes = Object.fromEntries(Object.keys(files).map((name) => [name, statSync(files[name]).size]));
  writeFileSync(join(work, 'manifest.json'), JSON.stringify({ id, main: 'bundle/cli.mjs', files: sizes }));
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

if (process.argv.includes('--fetch-node')) for (const p of sea.platforms) nodeBinary(p);
else await main();
