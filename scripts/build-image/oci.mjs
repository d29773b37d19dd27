// An OCI image assembled with umoci, layer by layer, reproducibly: every file of a layer gets the
// same mtime (SOURCE_DATE_EPOCH), owner root, and umoci writes each tar in path order; the
// config's and the history's dates are that epoch too. Then one image index per name holding
// the platforms, and the layout archived as a sorted tar with the same fixed dates.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const INDEX = 'application/vnd.oci.image.index.v1+json';

function umoci(args) {
  execFileSync('umoci', args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Same mtime for every file and dir under `dir` (symlinks themselves included), owned by root. */
export function normalize(dir, epoch) {
  execFileSync('chown', ['-hR', '0:0', dir]);
  execFileSync('find', [dir, '-exec', 'touch', '-h', '-d', `@${epoch}`, '{}', '+']);
}

/**
 * Adds one platform's image under `tag` in the layout: `layers` are functions that fill the
 * rootfs with what that layer adds (each becomes one layer), `config` is the image config.
 */
export function buildPlatformImage({ layout, tag, platform, layers, config, epoch, work }) {
  const created = new Date(epoch * 1000).toISOString();
  const ref = `${layout}:${tag}`;
  umoci(['new', '--image', ref]);
  const cfg = ['config', '--image', ref, '--no-history', '--created', created, '--os', platform.os, '--architecture', platform.arch];
  if (platform.variant) cfg.push('--platform.variant', platform.variant);
  if (config.entrypoint) for (const e of config.entrypoint) cfg.push('--config.entrypoint', e);
  if (config.cmd) for (const c of config.cmd) cfg.push('--config.cmd', c);
  if (config.user) cfg.push('--config.user', config.user);
  if (config.workingDir) cfg.push('--config.workingdir', config.workingDir);
  for (const [k, v] of Object.entries(config.env ?? {})) cfg.push('--config.env', `${k}=${v}`);
  for (const [k, v] of Object.entries(config.labels ?? {})) cfg.push('--config.label', `${k}=${v}`);
  umoci(cfg);
  const bundle = mkdtempSync(join(work, 'bundle-'));
  rmSync(bundle, { recursive: true });
  try {
    umoci(['unpack', '--image', ref, bundle]);
    const rootfs = join(bundle, 'rootfs');
    for (const layer of layers) {
      layer.fill(rootfs);
      normalize(rootfs, epoch);
      umoci(['repack', '--image', ref, '--refresh-bundle', '--history.created', created, '--history.created_by', layer.name, bundle]);
    }
  } finally {
    rmSync(bundle, { recursive: true, force: true });
  }
}

function sha256(buf) {
  return `sha256:${createHash('sha256').update(buf).digest('hex')}`;
}

/**
 * Replaces the per-platform tags of the layout with one image index named `name` (what
 * `ctr images import` and registries see), then drops unreferenced blobs.
 */
export function indexPlatforms({ layout, name, tags }) {
  const top = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
  const manifests = tags.map(({ tag, platform }) => {
    const d = top.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);
    if (!d) throw new Error(`no image tagged ${tag} in ${layout}`);
    return { mediaType: d.mediaType, digest: d.digest, size: d.size, platform };
  });
  const blob = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: INDEX, manifests }));
  const digest = sha256(blob);
  writeFileSync(join(layout, 'blobs', ...digest.split(':')), blob);
  const version = name.slice(name.lastIndexOf(':') + 1);
  const annotations = { 'io.containerd.image.name': name, 'org.opencontainers.image.ref.name': version };
  top.manifests = [{ mediaType: INDEX, digest, size: blob.length, annotations }];
  writeFileSync(join(layout, 'index.json'), JSON.stringify(top));
  umoci(['gc', '--layout', layout]);
  return digest;
}

/** The layout as a tar (OCI archive): names sorted, fixed dates and owners. */
export function archive({ layout, file, epoch }) {
  execFileSync('tar', [
    '--create',
    '--file',
    file,
    '--directory',
    layout,
    '--sort=name',
    `--mtime=@${epoch}`,
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '--format=gnu',
    '--mode=go-w',
    '.',
  ]);
}
