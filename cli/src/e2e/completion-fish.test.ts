import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { CLI_BIN } from '../testing/run-cli.js';

const hasFish = spawnSync('fish', ['--version'], { encoding: 'utf8' }).status === 0;

describe('completion fish', () => {
  let bin: string;
  let env: NodeJS.ProcessEnv;

  before(async function () {
    if (!hasFish) {
      // scripts/setup.sh installs fish: CI must not skip this silently.
      if (process.env.CI) throw new Error('fish is not installed: the fish completion test cannot run');
      this.skip();
    }
    bin = await mkdtemp(join(tmpdir(), 'cli-fish-'));
    await symlink(CLI_BIN, join(bin, 'kubectl-seccomp'));
    env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };
  });
  after(async () => {
    if (bin) await rm(bin, { recursive: true, force: true });
  });

  const fish = (script: string) => spawnSync('fish', ['--no-config', '-c', script], { env, encoding: 'utf8' });

  it('the script parses in fish', async () => {
    const script = spawnSync(process.execPath, [CLI_BIN, 'completion', 'fish'], { encoding: 'utf8' });
    expect(script.status, script.stderr).to.equal(0);
    const file = join(bin, 'completion.fish');
    await writeFile(file, script.stdout);
    const check = spawnSync('fish', ['--no-execute', file], { encoding: 'utf8' });
    expect(check.status, check.stderr).to.equal(0);
  });

  it('completes commands, flags and flag values in a real fish', () => {
    const run = fish(
      'kubectl-seccomp completion fish | source; complete -C "kubectl-seccomp do"; echo ===; complete -C "kubectl-seccomp doctor --ou"; echo ===; complete -C "kubectl-seccomp doctor -o "',
    );
    expect(run.status, run.stderr).to.equal(0);
    const [commands, flags, values] = run.stdout.split('===\n').map((part) => part.trim().split('\n'));
    expect(commands).to.deep.equal(['doctor']);
    expect(flags).to.deep.equal(['--output']);
    // fish sorts the candidates.
    expect(values).to.deep.equal(['json', 'table', 'wide', 'yaml']);
  });

  it('offers file names where a command takes paths', () => {
    const run = fish(`cd ${bin}; kubectl-seccomp completion fish | source; complete -C "kubectl-seccomp lint kubectl-s"`);
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout.trim().split('\n')).to.deep.equal(['kubectl-seccomp']);
  });
});
