import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { REPO, requirePrerequisite } from './kustomize.js';

const run = promisify(execFile);
const PINNED_NODE = readFileSync(join(REPO, '.node-version'), 'utf8').trim();
const EXE = join(REPO, 'build/kubectl-seccomp-linux-amd64/kubectl-seccomp');

/** Runs the executable with no Node anywhere on PATH and nothing from this shell's environment. */
async function exe(args: string[], home: string): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(EXE, args, { env: { PATH: '/nonexistent', HOME: home }, cwd: home });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe('deploy: single-file executable', function () {
  this.timeout(600_000);
  let home: string;

  before(function () {
    requirePrerequisite(this, process.arch === 'x64', `the amd64 executable cannot run on ${process.arch}`);
    // npm run package: fetches the Node binaries from the npm registry once (cached in build/cache).
    const built = spawnSync(process.execPath, [join(REPO, 'scripts/package.mjs')], { cwd: REPO, encoding: 'utf8' });
    requirePrerequisite(this, built.status === 0 && existsSync(EXE), `npm run package failed here: ${(built.stderr ?? '').slice(-2000)}`);
    home = mkdtempSync(join(tmpdir(), 'kseccomp-sea-'));
  });

  after(() => {
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('is not a script: it runs with no node on PATH', () => {
    const which = spawnSync('sh', ['-c', 'command -v node'], { env: { PATH: '/nonexistent' } });
    expect(which.status).to.not.equal(0);
  });

  it('embeds the pinned Node (.node-version)', async () => {
    const out = await exe(['--version'], home);
    expect(out.code, out.stderr).to.equal(0);
    expect(out.stdout).to.contain(`linux-x64 node-v${PINNED_NODE}`);
    const version = await exe(['version', '--client', '-o', 'json'], home);
    expect(version.code, version.stderr).to.equal(0);
    expect(JSON.parse(version.stdout)).to.deep.include({ client: { version: '0.1.0', nodejsVersion: PINNED_NODE, platform: 'linux-x64' } });
  });

  it('prints help listing every command', async () => {
    const out = await exe(['--help'], home);
    expect(out.code, out.stderr).to.equal(0);
    for (const cmd of ['doctor', 'install', 'lint', 'push', 'uninstall', 'version', 'watch']) expect(out.stdout).to.contain(cmd);
    expect(out.stderr).to.not.contain('ExperimentalWarning');
  });

  it('lints a profile, and fails on a broken one', async () => {
    const ok = await exe(['lint', join(REPO, 'profiles/catalog/seccomp-agent.json')], home);
    expect(ok.code, ok.stderr).to.equal(0);
    expect(ok.stdout).to.contain('0 errors');
    const bad = await exe(['lint', join(REPO, 'package.json')], home);
    expect(bad.code).to.not.equal(0);
  });

  it('runs doctor --local against this machine', async () => {
    const out = await exe(['doctor', '--local', '-o', 'json'], home);
    expect([0, 1], out.stderr).to.include(out.code);
    const report = JSON.parse(out.stdout) as unknown;
    expect(JSON.stringify(report)).to.contain('kernel.seccomp');
  });

  it('embeds the manifests: install --dry-run prints them', async () => {
    const out = await exe(['install', '--dry-run', '-o', 'yaml'], home);
    expect(out.code, out.stderr).to.equal(0);
    expect(out.stdout).to.contain('kind: DaemonSet');
  });

  it('push with no PATH finds the shipped catalog', async () => {
    const out = await exe(['push', '--local', '--profile-dir', join(home, 'profiles'), '--dry-run', '-o', 'json'], home);
    expect(out.code, out.stderr).to.equal(0);
    expect(out.stdout).to.contain('kubectl-seccomp/seccomp-agent.json');
  });

  /** The directory the executable unpacked its bundle to (one per build id, under HOME/.cache). */
  function unpacked(): string {
    const base = join(home, '.cache', `kubectl-seccomp-${process.getuid!()}`);
    const ids = readdirSync(base).filter((f) => !f.startsWith('.') && f !== 'compile-cache');
    expect(ids, `unpack directories in ${base}`).to.have.length(1);
    return join(base, ids[0]!);
  }

  it('unpacks its bundle once, into a private directory, and reuses it untouched', async () => {
    expect((await exe(['--help'], home)).code).to.equal(0);
    const dir = unpacked();
    expect(statSync(dir).mode & 0o077).to.equal(0);
    const files = readdirSync(join(dir, 'bundle')).map((f) => join(dir, 'bundle', f));
    expect(files.length).to.be.greaterThan(1);
    const before = files.map((f) => statSync(f).mtimeMs);
    expect((await exe(['--help'], home)).code).to.equal(0);
    expect(files.map((f) => statSync(f).mtimeMs)).to.deep.equal(before);
    expect(
      readdirSync(join(dir, '..')).filter((f) => f.startsWith('.')),
      'temporary unpack directories left',
    ).to.deep.equal([]);
  });

  it("keeps V8's compiled code in the same private directory from the first run", async () => {
    expect((await exe(['lint', join(REPO, 'profiles/catalog/deny-mkdir.json')], home)).code).to.equal(0);
    const cache = join(home, '.cache', `kubectl-seccomp-${process.getuid!()}`, 'compile-cache');
    const [tag] = readdirSync(cache);
    expect(tag, `compile cache in ${cache}`).to.match(new RegExp(`^v${PINNED_NODE}-x64-`));
    expect(readdirSync(join(cache, tag!)).length).to.be.greaterThan(1);
  });

  it('replaces a damaged unpacked copy', async () => {
    expect((await exe(['--help'], home)).code).to.equal(0);
    const dir = unpacked();
    const entry = join(dir, 'bundle/cli.mjs');
    const size = statSync(entry).size;
    truncateSync(entry, 10);
    const out = await exe(['lint', join(REPO, 'profiles/catalog/deny-mkdir.json')], home);
    expect(out.code, out.stderr).to.equal(0);
    expect(out.stdout).to.contain('0 errors');
    expect(statSync(join(unpacked(), 'bundle/cli.mjs')).size).to.equal(size);
  });

  it('the arm64 executable runs help and lint (under qemu-user, with the arm64 C libraries)', async function () {
    const arm = join(REPO, 'build/kubectl-seccomp-linux-arm64/kubectl-seccomp');
    const sysroot = '/usr/aarch64-linux-gnu';
    const qemu = spawnSync('sh', ['-c', 'command -v qemu-aarch64-static'], { encoding: 'utf8' }).stdout.trim();
    requirePrerequisite(this, qemu !== '' && existsSync(sysroot), 'qemu-user-static and libc6-arm64-cross are needed to run the arm64 build here');
    const env = { PATH: '/nonexistent', HOME: home };
    const help = await run(qemu, ['-L', sysroot, arm, '--help'], { env, cwd: home });
    expect(help.stdout).to.contain(`linux-arm64 node-v${PINNED_NODE}`).and.contain('push');
    const lint = await run(qemu, ['-L', sysroot, arm, 'lint', join(REPO, 'profiles/catalog/deny-mkdir.json')], { env, cwd: home });
    expect(lint.stdout).to.contain('0 errors');
  });

  it('the krew manifest names both platforms with the archives sha256', async () => {
    const { createHash } = await import('node:crypto');
    const manifest = readFileSync(join(REPO, 'build/krew/seccomp.yaml'), 'utf8');
    for (const arch of ['amd64', 'arm64']) {
      const sum = createHash('sha256')
        .update(readFileSync(join(REPO, `build/kubectl-seccomp-linux-${arch}.tar.gz`)))
        .digest('hex');
      expect(manifest).to.contain(`sha256: "${sum}"`);
    }
    expect(manifest).to.not.match(/\{\{/);
  });
});
