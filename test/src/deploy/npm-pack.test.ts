import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { REPO } from './kustomize.js';

const run = promisify(execFile);

describe('deploy: npm pack -w cli', function () {
  this.timeout(120_000);
  let dir: string;
  let pkg: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kseccomp-pack-'));
    execFileSync('npm', ['pack', '-w', 'cli', '--pack-destination', dir, '--silent'], { cwd: REPO, stdio: 'pipe' });
    const [tarball] = readdirSync(dir).filter((f) => f.endsWith('.tgz'));
    execFileSync('tar', ['-xzf', join(dir, tarball!), '-C', dir]);
    pkg = join(dir, 'package');
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ships the bundle, not the sources, and needs no other package', () => {
    expect(readdirSync(pkg).sort()).to.deep.equal(['README.md', 'bin', 'dist', 'package.json']);
    expect(readdirSync(join(pkg, 'dist')).sort()).to.deep.equal(['bundle', 'catalog', 'oclif.manifest.json']);
    expect(readdirSync(join(pkg, 'dist/bundle/commands')).sort()).to.deep.equal([
      'bind.mjs',
      'complete.mjs',
      'completion.mjs',
      'diff.mjs',
      'doctor.mjs',
      'help.mjs',
      'install.mjs',
      'lint.mjs',
      'push.mjs',
      'record.mjs',
      'status.mjs',
      'unbind.mjs',
      'uninstall.mjs',
      'version.mjs',
      'watch.mjs',
    ]);
    expect(readdirSync(join(pkg, 'bin')).sort()).to.deep.equal(['kubectl_complete-seccomp', 'run.js']);
    // The bundle carries every dependency: an install from a registry must not fetch any (the
    // workspaces it was built from are not published).
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).to.not.have.any.keys('dependencies', 'peerDependencies', 'optionalDependencies');
  });

  // Outside the repository, so that no node_modules above it can lend a missing package.
  it('runs from the tarball alone: help, lint and the shipped catalog', async () => {
    const bin = join(pkg, 'bin/run.js');
    const opts = { cwd: dir, env: { PATH: process.env.PATH, HOME: dir } };
    const help = await run(process.execPath, [bin, '--help'], opts);
    for (const cmd of ['doctor', 'install', 'lint', 'push', 'uninstall', 'watch']) expect(help.stdout).to.contain(cmd);
    const lint = await run(process.execPath, [bin, 'lint', join(pkg, 'dist/catalog/nodejs-web.json')], opts);
    expect(lint.stdout).to.contain('0 errors');
    const push = await run(process.execPath, [bin, 'push', '--local', '--profile-dir', join(dir, 'profiles'), '--dry-run', '-o', 'yaml'], opts);
    expect(push.stdout).to.contain('kubectl-seccomp/seccomp-agent.json');
    // kubectl's plugin completion, and the command_not_found hook (its own bundle entry).
    const complete = await run(process.execPath, [join(pkg, 'bin/kubectl_complete-seccomp'), 'doc'], opts);
    expect(complete.stdout).to.equal('doctor\n:4\n');
    const typo = await run(process.execPath, [bin, 'docter'], opts).catch((err: { code: number; stderr: string }) => err);
    expect(typo).to.include({ code: 2 }).and.have.property('stderr').that.contains('Did you mean "kubectl seccomp doctor"?');
  });
});
