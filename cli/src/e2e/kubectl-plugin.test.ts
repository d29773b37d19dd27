import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { tmpdir } from 'node:os';
import { CLI_BIN } from '../testing/run-cli.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

describe('kubectl plugin discovery', () => {
  let bin: string;

  before(async function () {
    if (!hasKubectl) {
      if (process.env.CI) throw new Error('kubectl is not installed: the plugin test cannot run');
      this.skip();
    }
    bin = await mkdtemp(join(tmpdir(), 'cli-plugin-'));
    await symlink(CLI_BIN, join(bin, 'kubectl-seccomp'));
  });
  after(async () => {
    if (bin) await rm(bin, { recursive: true, force: true });
  });

  it('`kubectl seccomp --help` runs the plugin and its help reads `kubectl seccomp ...`', () => {
    const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };
    const run = spawnSync('kubectl', ['seccomp', '--help'], { env, encoding: 'utf8' });
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.contain('$ kubectl seccomp [COMMAND]');
    expect(run.stdout).to.match(/\n\s+doctor\s/).and.match(/\n\s+push\s/).and.match(/\n\s+lint\s/);
    expect(run.stderr).to.equal('');
  });

  it('`kubectl seccomp push --help` shows examples as kubectl commands', () => {
    const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };
    const run = spawnSync('kubectl', ['seccomp', 'push', '--help'], { env, encoding: 'utf8' });
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.contain('$ kubectl seccomp push profiles/');
    expect(run.stdout).not.to.contain('kubectl-seccomp push');
  });
});
