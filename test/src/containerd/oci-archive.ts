import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

interface Descriptor {
  mediaType: string;
  digest: string;
  platform?: { architecture: string; os: string };
  annotations?: Record<string, string>;
}

export interface ImageEntry {
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  /** For symlinks. */
  target?: string;
  mode: string;
}

export interface PlatformImage {
  /** The name the archive gives its index (`io.containerd.image.name`). */
  name: string | undefined;
  config: { architecture: string; os: string; config: { Env?: string[]; Entrypoint?: string[]; Cmd?: string[]; User?: string; WorkingDir?: string } };
  /** Every entry of every layer, as absolute paths. */
  entries: Map<string, ImageEntry>;
}

function parseListing(text: string): ImageEntry[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      // GNU tar -tv: MODE OWNER SIZE DATE TIME NAME [-> TARGET]
      const m = /^(\S+)\s+\S+\s+\d+\s+\S+\s+\S+\s+(.*)$/.exec(line);
      if (!m) throw new Error(`tar listing line not understood: ${line}`);
      const mode = m[1]!;
      const [name, target] = mode.startsWith('l') ? m[2]!.split(' -> ') : [m[2]!, undefined];
      const path = `/${name!.replace(/^\.?\//, '').replace(/\/$/, '')}`;
      const type = mode[0] === '-' ? 'file' : mode[0] === 'd' ? 'dir' : mode[0] === 'l' ? 'symlink' : 'other';
      return { path, type, target, mode };
    });
}

/** The layout's image index (top of index.json) and the manifest of one platform in it. */
async function platformManifest(dir: string, architecture: string) {
  const blob = async <T>(digest: string): Promise<T> => JSON.parse(await readFile(blobPath(dir, digest), 'utf8')) as T;
  const top = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
  const index = await blob<{ manifests: Descriptor[] }>(top.manifests[0]!.digest);
  const desc = index.manifests.find((m) => m.platform?.architecture === architecture);
  if (!desc) throw new Error(`no ${architecture} image in the layout`);
  const manifest = await blob<{ config: Descriptor; layers: Descriptor[] }>(desc.digest);
  return { name: top.manifests[0]!.annotations?.['io.containerd.image.name'], manifest, config: await blob<PlatformImage['config']>(manifest.config.digest) };
}

const blobPath = (dir: string, digest: string) => join(dir, 'blobs', ...digest.split(':'));

async function withLayout<T>(archive: string, use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'ks-oci-'));
  try {
    await execFileAsync('tar', ['-xf', archive, '-C', dir]);
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One platform's config and files from an OCI archive (an image index at the top, as build-image writes it). */
export function readPlatformImage(archive: string, architecture: string): Promise<PlatformImage> {
  return withLayout(archive, async (dir) => {
    const { name, manifest, config } = await platformManifest(dir, architecture);
    const entries = new Map<string, ImageEntry>();
    for (const layer of manifest.layers) {
      const { stdout } = await execFileAsync('tar', ['-tvzf', blobPath(dir, layer.digest)], { maxBuffer: 1 << 26 });
      for (const e of parseListing(stdout)) entries.set(e.path, e);
    }
    return { name, config, entries };
  });
}

/** Unpacks one platform's layers, in order, into `root` (no whiteouts: build-image writes none). */
export function extractPlatform(archive: string, architecture: string, root: string): Promise<void> {
  return withLayout(archive, async (dir) => {
    const { manifest } = await platformManifest(dir, architecture);
    for (const layer of manifest.layers) await execFileAsync('tar', ['-xzf', blobPath(dir, layer.digest), '-C', root]);
  });
}
