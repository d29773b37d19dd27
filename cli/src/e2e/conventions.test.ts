import { expect } from 'chai';
import { errorText, killStrayClis, runCli } from '../testing/run-cli.js';

const COMMANDS = ['doctor', 'push', 'watch', 'lint', 'install', 'uninstall', 'completion', 'record'];

describe('kubectl conventions (real CLI)', function () {
  this.timeout(60_000);
  afterEach(killStrayClis);

  it('-h at the top level shows the commands and examples', async () => {
    const run = await runCli(['-h']);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout)
      .to.contain('$ kubectl seccomp doctor --local')
      .and.match(/\n\s+doctor\s/);
  });

  for (const id of COMMANDS) {
    it(`${id} -h and help ${id} print the same help, with a clean usage line`, async () => {
      const [short, viaHelp] = await Promise.all([runCli([id, '-h']), runCli(['help', id])]);
      expect(short.code, short.stderr).to.equal(0);
      expect(viaHelp.code, viaHelp.stderr).to.equal(0);
      expect(viaHelp.stdout).to.equal(short.stdout);
      const usage = /USAGE\n(.*)\n/.exec(short.stdout)?.[1] ?? '';
      expect(usage)
        .to.contain(`$ kubectl seccomp ${id}`)
        .and.not.match(/\| ]| ]/);
    });
  }

  it('push -h shows --[no-]record', async () => {
    const run = await runCli(['push', '-h']);
    expect(run.stdout).to.contain('--[no-]record');
  });

  it('a mistyped command exits 2 with did-you-mean', async () => {
    const run = await runCli(['docter']);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.equal(
      'error: unknown command "docter" for "kubectl seccomp"\nDid you mean "kubectl seccomp doctor"?\nRun "kubectl seccomp --help" for the commands.\n',
    );
  });

  it('a mistyped flag exits 2 with did-you-mean', async () => {
    const run = await runCli(['doctor', '--nod', 'x', '--local']);
    expect(run.code).to.equal(2);
    expect(errorText(run)).to.contain('error: unknown flag: --nod').and.contain('Did you mean --node?');
  });

  for (const [args, flag] of [
    [['doctor', '--local', '--timeout', 'abc'], 'timeout'],
    [['watch', '--local', '--since', 'abc'], 'since'],
    [['doctor', '--local', '-o', 'xml'], 'output'],
  ] as const) {
    it(`${args.join(' ')}: a usage error, exit 2, one line and a hint`, async () => {
      const run = await runCli([...args]);
      expect(run.code, run.stderr).to.equal(2);
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines).to.have.length(2);
      expect(lines[0])
        .to.match(/^error: /)
        .and.contain(flag);
      expect(lines[1]).to.match(/--help/);
      expect(run.stdout).to.equal('');
    });
  }

  it('watch -A with -n is a usage error: -A means every namespace', async () => {
    const run = await runCli(['watch', '--local', '-A', '-n', 'shop']);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.match(/^error: .*--all-namespaces/);
  });
});
