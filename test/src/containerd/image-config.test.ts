import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { parse as parseYaml } from 'yaml';
import { imageArchive, imagePrerequisites, REPO } from '../harness/containerd-images.js';
import { skipUnless } from '../kernel/support.js';
import { parseRuntimeStage } from './dockerfile-runtime.js';
import { extractPlatform, readPlatformImage, type PlatformImage } from './oci-archive.js';

const execFileAsync = promisify(execFile);
const stage = parseRuntimeStage(readFileSync(join(REPO, 'Dockerfile'), 'utf8'));

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((e) => filesUnder(join(path, e)));
}

/** The image the Docker-free build makes, held to the Dockerfile's runtime stage (Docker cannot run here to build that one). */
describe('image: npm run image gives what the Dockerfile gives', function () {
  this.timeout(600_000);
  let archive: string;
  let image: PlatformImage;

  before(async function () {
    skipUnless(this, imagePrerequisites());
    archive = await imageArchive('agent');
    image = await readPlatformImage(archive, 'amd64');
  });

  it('has the same entrypoint, user and working directory', () => {
    expect(stage.entrypoint).to.deep.equal(['seccomp-agent']);
    expect(image.config.config.Entrypoint).to.deep.equal(stage.entrypoint);
    expect(image.config.config.User).to.equal(stage.user);
    expect(image.config.config.WorkingDir).to.equal(stage.workdir);
    expect(image.config).to.include({ os: 'linux', architecture: 'amd64' });
  });

  it("sets every ENV of the runtime stage, Node's version from .node-version, and a PATH with the entrypoint's dir", () => {
    const env = Object.fromEntries((image.config.config.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
    expect(Object.keys(stage.env)).to.include.members(['NODE_ENV', 'NODE_OPTIONS']);
    for (const [k, v] of Object.entries(stage.env)) expect(env[k], k).to.equal(v);
    expect(env.NODE_VERSION).to.equal(readFileSync(join(REPO, '.node-version'), 'utf8').trim());
    expect(env.PATH?.split(':')).to.include('/usr/local/bin');
  });

  it('holds every file the runtime stage copies from the build, the entrypoint link, node and journalctl, and no node_modules', () => {
    expect(stage.copies.length).to.be.greaterThan(0);
    for (const copy of stage.copies) {
      const source = join(REPO, copy.source.replace(/^\/src\//, ''));
      for (const file of filesUnder(source)) {
        const rel = relative(source, file);
        const dest = copy.dest.endsWith('/') ? join(copy.dest, relative(join(source, '..'), file)) : join(copy.dest, rel);
        expect(image.entries.get(dest)?.type, dest).to.equal('file');
      }
    }
    expect(stage.symlinks).to.have.length(1);
    for (const link of stage.symlinks) expect(image.entries.get(link.link)).to.include({ type: 'symlink', target: link.target });
    expect(image.entries.get('/usr/local/bin/node')?.type).to.equal('file');
    expect(stage.packages).to.include('systemd');
    expect(image.entries.get('/bin/journalctl')?.type).to.equal('file');
    expect([...image.entries.keys()].filter((p) => p.includes('node_modules'))).to.deep.equal([]);
  });

  it('is named as manifests/base sets the image', async () => {
    const kustomization = parseYaml(await readFile(join(REPO, 'manifests/base/kustomization.yaml'), 'utf8')) as {
      images: { newName: string; newTag: string }[];
    };
    const { newName, newTag } = kustomization.images[0]!;
    expect(image.name).to.equal(`${newName}:${newTag}`);
  });

  it('is reproducible: built again from the same inputs, the archive is the same bytes', async () => {
    const out = await mkdtemp(join(tmpdir(), 'ks-image-again-'));
    try {
      const again = await imageArchive('agent', { outDir: out });
      const digest = async (file: string) =>
        createHash('sha256')
          .update(await readFile(file))
          .digest('hex');
      expect(existsSync(again)).to.equal(true);
      expect(await digest(again)).to.equal(await digest(archive));
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

/**
 * The arm64 image is assembled on this amd64 machine from Debian's arm64 packages without running
 * them; qemu-user runs its programs here, each with the image's own libraries and loader.
 */
describe('image: the linux/arm64 image', function () {
  this.timeout(600_000);
  const QEMU = '/usr/bin/qemu-aarch64-static';
  let root: string | undefined;

  before(async function () {
    skipUnless(this, imagePrerequisites() ?? (existsSync(QEMU) ? undefined : `${QEMU} is missing: scripts/setup.sh installs it`));
    const archive = await imageArchive('agent', { arch: 'arm64' });
    root = await mkdtemp(join(tmpdir(), 'ks-arm64-'));
    await extractPlatform(archive, 'arm64', root);
  });

  after(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  const run = async (...args: string[]) => (await execFileAsync(QEMU, ['-L', root!, ...args.map((a) => (a.startsWith('/') ? join(root!, a) : a))])).stdout;

  it("runs the pinned Node, journalctl and seccomp-agent --help with the image's own arm64 libraries", async () => {
    expect((await run('/usr/local/bin/node', '--version')).trim()).to.equal(`v${readFileSync(join(REPO, '.node-version'), 'utf8').trim()}`);
    expect(await run('/bin/journalctl', '--version')).to.match(/^systemd \d+/);
    expect(await run('/usr/local/bin/node', '/app/agent/bin/seccomp-agent.js', '--help')).to.match(/--host-root/);
    const image = await readPlatformImage(await imageArchive('agent', { arch: 'arm64' }), 'arm64');
    expect(image.config).to.include({ architecture: 'arm64', os: 'linux' });
    expect(image.config.config.Entrypoint).to.deep.equal(stage.entrypoint);
  });

  it("holds seccomp-capture built for arm64 (cross-built here), which starts with the image's own libraries", async () => {
    const helper = join(root!, 'usr/local/bin/seccomp-capture');
    expect((await execFileAsync('readelf', ['-h', helper])).stdout).to.match(/Machine:\s+AArch64/);
    // No mode: its usage and exit 64. Its capture modes need an arm64 kernel: qemu-user does not pass
    // the audit netlink socket's reads through, nor BPF.
    const usage = await execFileAsync(QEMU, ['-L', root!, helper]).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );
    expect(usage).to.deep.equal({ code: 64, stderr: 'usage: seccomp-capture procs | audit | audit-relay SOCKET\n' });
  });
});
