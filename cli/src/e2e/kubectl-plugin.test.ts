import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { tmpdir } from 'node:os';
import { CLI_BIN, COMPLETE_BIN } from '../testing/run-cli.js';

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
    await symlink(COMPLETE_BIN, join(bin, 'kubectl_complete-seccomp'));
  });
  after(async () => {
    if (bin) await rm(bin, { recursive: true, force: true });
  });

  it('`kubectl seccomp --help` runs the plugin and its help reads `kubectl seccomp ...`', () => {
    const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };
    const run = spawnSync('kubectl', ['seccomp', '--help'], { env, encoding: 'utf8' });
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.contain('$ kubectl seccomp [COMMAND]');
    expect(run.stdout)
      .to.match(/\n\s+doctor\s/)
      .and.match(/\n\s+push\s/)
      .and.match(/\n\s+lint\s/);
    expect(run.stderr).to.equal('');
  });

  it('`kubectl seccomp push --help` shows examples as kubectl commands', () => {
    const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };
    const run = spawnSync('kubectl', ['seccomp', 'push', '--help'], { env, encoding: 'utf8' });
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.contain('$ kubectl seccomp push profiles/');
    expect(run.stdout).not.to.contain('kubectl-seccomp push');
  });

  // `kubectl __complete` is what kubectl's own bash/zsh/fish scripts call on TAB.
  const kubectlComplete = (...words: string[]) => {
    const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };
    const run = spawnSync('kubectl', ['__complete', 'seccomp', ...words], { env, encoding: 'utf8' });
    expect(run.status, run.stderr).to.equal(0);
    return run.stdout.trimEnd().split('\n');
  };

  it("kubectl completes the plugin's commands through kubectl_complete-seccomp", () => {
    expect(kubectlComplete('do')).to.deep.equal(['doctor', ':4']);
  });

  it('kubectl completes flags and their values, and file names for paths', () => {
    expect(kubectlComplete('doctor', '--out')).to.deep.equal(['--output', ':4']);
    expect(kubectlComplete('doctor', '-o', '')).to.deep.equal(['table', 'wide', 'json', 'yaml', ':4']);
    expect(kubectlComplete('push', '--no-rec')).to.deep.equal(['--no-record', ':4']);
    expect(kubectlComplete('lint', '')).to.deep.equal([':0']);
  });

  it('`completion bash` completes kubectl-seccomp in a real bash', () => {
    const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };
    const script =
      'source <(kubectl-seccomp completion bash); COMP_WORDS=(kubectl-seccomp doctor --ou); COMP_CWORD=2; _kubectl_seccomp; echo "${COMPREPLY[@]}"';
    const run = spawnSync('bash', ['-c', script], { env, encoding: 'utf8' });
    expect(run.stdout.trim(), run.stderr).to.equal('--output');
  });
});
