#!/usr/bin/env node
// `npm run image`: the agent image as an OCI archive without Docker (docs/deployment.md), from
// Debian's packages (mmdebstrap), Node's npm package node-linux-<arch> and the agent's bundle,
// assembled with umoci. Same inputs, same digest: every date is SOURCE_DATE_EPOCH (default: the
// last commit's date). Prints the archive's path as its last line.
//   node scripts/build-image.mjs [--target agent|busybox|pause] [--platform amd64,arm64] [--out DIR]
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { parseArgs } from 'node:util';
import { archive, buildPlatformImage, indexPlatforms } from './build-image/oci.mjs';
import { TARGETS } from './build-image/targets.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    target: { type: 'string', default: 'agent' },
    platform: { type: 'string' },
    out: { type: 'string', default: join(repo, 'build/image') },
  },
});

function log(message) {
  process.stderr.write(`image: ${message}\n`);
}

function epoch() {
  if (process.env.SOURCE_DATE_EPOCH) return Number(process.env.SOURCE_DATE_EPOCH);
  return Number(execFileSync('git', ['-C', repo, 'log', '-1', '--format=%ct'], { encoding: 'utf8' }).trim());
}

const make = TARGETS[values.target];
if (!make) throw new Error(`unknown target ${values.target} (${Object.keys(TARGETS).join(', ')})`);
const out = values.out;
const cache = join(repo, 'build/cache/image');
mkdirSync(cache, { recursive: true });
const target = make({ repo, cache, log });
const arches = values.platform ? values.platform.split(',').map((p) => p.replace(/^linux\//, '')) : target.platforms;
const when = epoch();

const work = join(out, `.work-${target.file}-${process.pid}`);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
try {
  const layout = join(work, 'layout');
  execFileSync('umoci', ['init', '--layout', layout]);
  const tags = [];
  for (const arch of arches) {
    log(`${target.name} for linux/${arch}`);
    const platform = { os: 'linux', architecture: arch };
    buildPlatformImage({ layout, tag: arch, platform: { os: 'linux', arch }, layers: target.layers(arch), config: target.config, epoch: when, work });
    tags.push({ tag: arch, platform });
  }
  const digest = indexPlatforms({ layout, name: target.name, tags });
  const suffix = values.platform ? `-${arches.join('-')}` : '';
  const file = join(out, `${target.file}${suffix}.oci.tar`);
  archive({ layout, file: join(work, 'image.tar'), epoch: when });
  renameSync(join(work, 'image.tar'), file);
  log(`${target.name} ${digest} (${(statSync(file).size / 1e6).toFixed(1)} MB)`);
  process.stdout.write(`${file}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
