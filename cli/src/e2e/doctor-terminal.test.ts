import ansis from 'ansis';
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import stringWidth from 'string-width';
import { copyHost, type TestHost } from '../testing/agents.js';
import { CLI_BIN, killStrayClis, runCli } from '../testing/run-cli.js';

const ESC = '\u001b';
const CHECKS_DOC = fileURLToPath(new URL('../../../docs/checks.md', import.meta.url));
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** The CLI in a pseudo-terminal (util-linux `script`): a TTY of 80 columns, as a user's terminal. */
function inTerminal(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string } {
  const command = [process.execPath, CLI_BIN, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const { NO_COLOR: _drop, ...rest } = process.env;
  const run = spawnSync('script', ['-qec', `stty cols 80 rows 50; ${command}`, '/dev/null'], { encoding: 'utf8', env: { ...rest, ...env } });
  return { code: run.status, stdout: run.stdout.replaceAll('\r\n', '\n') };
}

describe('doctor on a terminal and piped (real CLI)', function () {
  this.timeout(60_000);
  let broken: TestHost;
  let noKubelet: TestHost;

  before(async () => {
    broken = await copyHost('broken');
    // The healthy host without its kubelet process: the kubelet checks are skipped for one reason.
    noKubelet = await copyHost('healthy');
    for (const pid of await readdir(join(noKubelet.root, 'proc'))) {
      const cmdline = await readFile(join(noKubelet.root, 'proc', pid, 'cmdline'), 'utf8').catch(() => '');
      if (cmdline.includes('kubelet')) await rm(join(noKubelet.root, 'proc', pid), { recursive: true });
    }
  });
  afterEach(killStrayClis);
  after(async () => {
    await broken?.remove();
    await noKubelet?.remove();
  });

  it('piped: no escapes, and under each warning its why (detail) then the fix', async () => {
    const [table, json] = await Promise.all([
      runCli(['doctor', '--local', '--host-root', broken.root]),
      runCli(['doctor', '--local', '--host-root', broken.root, '-o', 'json']),
    ]);
    expect(table.stdout).not.to.contain(ESC);
    const warned = (JSON.parse(json.stdout) as { nodes: { checks: { status: string; id: string; detail: string; remedy: string }[] }[] }).nodes[0]!.checks.find(
      (c) => c.status === 'warn' && c.detail !== '' && c.remedy !== '',
    )!;
    const lines = table.stdout.split('\n');
    const at = lines.findIndex((l) => l.includes(` ${warned.id} `));
    expect(lines[at + 1]!.trim()).to.equal(warned.detail);
    expect(lines[at + 2]!.trim()).to.equal(`→ ${warned.remedy}`);
    expect(lines[at + 3]!.trim()).to.equal(`docs/checks.md#${warned.id}`);
  });

  it('docs/checks.md has a section for every check id doctor reports', async () => {
    const docs = await readFile(CHECKS_DOC, 'utf8');
    const runs = await Promise.all([broken, noKubelet].map((h) => runCli(['doctor', '--local', '--host-root', h.root, '-o', 'json'])));
    const ids = new Set(runs.flatMap((r) => (JSON.parse(r.stdout) as { nodes: { checks: { id: string }[] }[] }).nodes[0]!.checks.map((c) => c.id)));
    expect(ids.size).to.be.greaterThan(10);
    for (const id of ids) expect(docs, id).to.contain(`<a id="${id}"></a>\n### ${id}\n`);
  });

  it('skips that share a reason are one line naming them', async () => {
    const run = await runCli(['doctor', '--local', '--host-root', noKubelet.root]);
    const skipped = run.stdout.split('\n').filter((l) => l.includes('no kubelet found') && l.includes('skipped'));
    expect(skipped).to.have.length(1);
    expect(skipped[0]).to.contain('kubelet.config, ');
  });

  it("-o wide lists the containers and every check's detail", async () => {
    const run = await runCli(['doctor', '--local', '--host-root', broken.root, '-o', 'wide']);
    expect(run.stdout)
      .to.match(/CONTAINER\s+POD UID\s+PID\s+COMMAND\s+SECCOMP/)
      .and.contain('redis-server');
    expect(run.stdout).not.to.contain('containers: ');
  });

  describe('in a pseudo-terminal', () => {
    before(function () {
      if (!hasScript) {
        if (process.env.CI) throw new Error('util-linux `script` is not installed: the terminal tests cannot run');
        this.skip();
      }
    });

    it('colours the statuses and wraps to the width at word boundaries, with a hanging indent', () => {
      const run = inTerminal(['doctor', '--local', '--host-root', broken.root]);
      expect(run.stdout).to.contain(`${ESC}[32m✓`).and.contain(`${ESC}[33m!`).and.contain(`${ESC}[31m✗`);
      const plain = ansis.strip(run.stdout);
      for (const line of plain.split('\n')) expect(stringWidth(line), line).to.be.at.most(80);
      // A remedy's continuation lines start under its text, two columns right of the arrow.
      const arrow = plain.split('\n').findIndex((l) => l.trimStart().startsWith('→ ') && l.length > 60);
      const column = plain.split('\n')[arrow]!.indexOf('→') + 2;
      expect(plain.split('\n')[arrow + 1]!.slice(0, column).trim()).to.equal('');
      expect(plain.split('\n')[arrow + 1]![column]).to.not.equal(' ');
    });

    for (const [how, args, env] of [
      ['NO_COLOR', [], { NO_COLOR: '1' }],
      ['--no-color', ['--no-color'], {}],
    ] as const) {
      it(`${how}: no colour on a terminal either`, () => {
        const run = inTerminal(['doctor', '--local', '--host-root', broken.root, ...args], env);
        expect(run.stdout).to.contain('✓').and.not.contain(ESC);
      });
    }
  });
});
