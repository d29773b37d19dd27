import { expect } from 'chai';
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PushNode, PushOutput } from '../output/types.js';
import { copyHost, deadAddress, startAgent, type TestAgent, type TestHost } from '../testing/agents.js';
import { errorText, killStrayClis, runCli, runCliJson } from '../testing/run-cli.js';
import { STARTUP_SYSCALLS } from '@kubectl-seccomp/profiles';

/** The calls every container makes at start: without them lint's cannot-start refuses the profile. */
const startable = { names: STARTUP_SYSCALLS.flatMap((c) => c.names), action: 'SCMP_ACT_ALLOW' };

const FIXTURES = fileURLToPath(new URL('../../fixtures/profiles/', import.meta.url));
const outcomes = (n: PushNode | undefined): Record<string, string> => Object.fromEntries((n?.results ?? []).map((r) => [r.path, r.outcome]));

describe('kubectl seccomp push (real CLI, real agent on loopback)', () => {
  let host: TestHost;
  let agent: TestAgent;
  let work: string;
  let push: (...args: string[]) => Promise<Awaited<ReturnType<typeof runCliJson<PushOutput>>>>;

  beforeEach(async () => {
    host = await copyHost('healthy');
    agent = await startAgent(host, 'node-a');
    work = await mkdtemp(join(tmpdir(), 'cli-push-'));
    await cp(join(FIXTURES, 'good'), join(work, 'profiles'), { recursive: true });
    push = (...args) => runCliJson<PushOutput>(['push', '--agent', `node-a=${agent.address}`, ...args]);
  });
  afterEach(async () => {
    killStrayClis();
    await agent.stop();
    await host.remove();
    await rm(work, { recursive: true, force: true });
  });

  it('creates every profile under the prefix, keeping sub-directories, and prints the localhostProfile values', async () => {
    const run = await push(join(work, 'profiles'));
    expect(run.code, run.stderr).to.equal(0);
    const node = run.json.nodes[0];
    expect(outcomes(node)).to.deep.equal({ 'kubectl-seccomp/sub/worker.json': 'created', 'kubectl-seccomp/web.json': 'created' });
    expect(node!.results.map((r) => r.localhostProfile).sort()).to.deep.equal(['kubectl-seccomp/sub/worker.json', 'kubectl-seccomp/web.json']);
    const onDisk = JSON.parse(await readFile(join(host.seccompDir, 'kubectl-seccomp/web.json'), 'utf8')) as { defaultAction: string };
    expect(onDisk.defaultAction).to.equal('SCMP_ACT_ERRNO');
    expect(run.json.summary).to.include({ created: 2, error: 0, unreachable: 0 });
    expect(run.json).to.include({ dryRun: false, prefix: 'kubectl-seccomp' });
  });

  it('reports unchanged (nothing re-sent) when nothing differs, updated when a file changed', async () => {
    await push(join(work, 'profiles'));
    const again = await push(join(work, 'profiles'));
    expect(again.code, again.stderr).to.equal(0);
    expect(outcomes(again.json.nodes[0])).to.deep.equal({ 'kubectl-seccomp/sub/worker.json': 'unchanged', 'kubectl-seccomp/web.json': 'unchanged' });

    const worker = join(work, 'profiles/sub/worker.json');
    await writeFile(worker, (await readFile(worker, 'utf8')).replace('"pivot_root"', '"pivot_root", "chroot"'));
    const changed = await push(join(work, 'profiles'));
    expect(outcomes(changed.json.nodes[0])).to.deep.equal({ 'kubectl-seccomp/sub/worker.json': 'updated', 'kubectl-seccomp/web.json': 'unchanged' });
    expect(await readFile(join(host.seccompDir, 'kubectl-seccomp/sub/worker.json'), 'utf8')).to.contain('chroot');
  });

  it('--prune deletes the profiles it installed before that are not pushed now', async () => {
    await push(join(work, 'profiles'));
    const run = await push(join(work, 'profiles/web.json'), '--prune');
    expect(run.code, run.stderr).to.equal(0);
    expect(outcomes(run.json.nodes[0])).to.deep.include({ 'kubectl-seccomp/sub/worker.json': 'deleted', 'kubectl-seccomp/web.json': 'unchanged' });
    await stat(join(host.seccompDir, 'kubectl-seccomp/sub/worker.json')).then(
      () => expect.fail('worker.json should be gone'),
      (err: NodeJS.ErrnoException) => expect(err.code).to.equal('ENOENT'),
    );
    // A file this tool did not install is never pruned.
    await stat(join(host.seccompDir, 'profiles/web.json'));
  });

  it('--dry-run reports what would change and changes nothing', async () => {
    const run = await push(join(work, 'profiles'), '--dry-run');
    expect(run.code, run.stderr).to.equal(0);
    expect(run.json.dryRun).to.equal(true);
    expect(outcomes(run.json.nodes[0])).to.deep.equal({ 'kubectl-seccomp/sub/worker.json': 'created', 'kubectl-seccomp/web.json': 'created' });
    await stat(join(host.seccompDir, 'kubectl-seccomp/web.json')).then(
      () => expect.fail('a dry run wrote a file'),
      (err: NodeJS.ErrnoException) => expect(err.code).to.equal('ENOENT'),
    );
  });

  it('sends nothing and exits 1, naming the file and JSON path, when any profile is invalid', async () => {
    await cp(join(FIXTURES, 'bad/invalid-action.json'), join(work, 'profiles/invalid-action.json'));
    const run = await runCli(['push', '--agent', `node-a=${agent.address}`, join(work, 'profiles')]);
    expect(run.code).to.equal(1);
    expect(errorText(run)).to.contain('invalid-action.json:5:').and.contain('/syscalls/1/action');
    await stat(join(host.seccompDir, 'kubectl-seccomp')).then(
      () => expect.fail('something was pushed'),
      (err: NodeJS.ErrnoException) => expect(err.code).to.equal('ENOENT'),
    );
  });

  it('says when a Docker-format profile was flattened for the node', async () => {
    const run = await push(join(FIXTURES, 'docker/caps.json'), '--prefix', '');
    expect(run.code, run.stderr).to.equal(0);
    expect(run.json.nodes[0]!.results).to.have.length(1);
    expect(run.json.nodes[0]!.results[0]).to.include({ path: 'caps.json', outcome: 'created', flattened: true, localhostProfile: 'caps.json' });
    const onDisk = JSON.parse(await readFile(join(host.seccompDir, 'caps.json'), 'utf8')) as Record<string, unknown>;
    expect(onDisk).to.not.have.property('archMap');
  });

  it('--audit pushes the profile with every denial turned into SCMP_ACT_LOG', async () => {
    const run = await push(join(work, 'profiles/web.json'), '--audit');
    expect(run.code, run.stderr).to.equal(0);
    const onDisk = JSON.parse(await readFile(join(host.seccompDir, 'kubectl-seccomp/web.json'), 'utf8')) as { defaultAction: string };
    expect(onDisk.defaultAction).to.equal('SCMP_ACT_LOG');
  });

  it('takes the agents from --agents-file - (stdin) as from --agent', async () => {
    const second = await copyHost('healthy');
    const agentB = await startAgent(second, 'node-b');
    try {
      const list = `# two nodes\nnode-a=${agent.address}\nnode-b=${agentB.address}\n`;
      const run = await runCliJson<PushOutput>(['push', '--agents-file', '-', join(work, 'profiles/web.json')], { stdin: list });
      expect(run.code, run.stderr).to.equal(0);
      expect(run.json.nodes.map((n) => [n.node, n.status, outcomes(n)['kubectl-seccomp/web.json']])).to.deep.equal([
        ['node-a', 'ok', 'created'],
        ['node-b', 'ok', 'created'],
      ]);
      await stat(join(second.seccompDir, 'kubectl-seccomp/web.json'));
    } finally {
      await agentB.stop();
      await second.remove();
    }
  });

  it('exits 2 and names the node it could not reach, after syncing the others', async () => {
    const dead = await deadAddress();
    const run = await push(join(work, 'profiles'), '--agent', `node-gone=${dead}`);
    expect(run.code).to.equal(2);
    const byName = new Map(run.json.nodes.map((n) => [n.node, n]));
    expect(byName.get('node-gone')?.status).to.equal('unreachable');
    expect(byName.get('node-a')?.status).to.equal('ok');
    expect(run.json.summary.created).to.equal(2);
  });

  it('--dry-run in a table says "would create", and the JSON gives each localhostProfile', async () => {
    const table = await runCli(['push', '--agent', `node-a=${agent.address}`, join(work, 'profiles'), '--dry-run']);
    expect(table.code, table.stderr).to.equal(0);
    expect(table.stdout)
      .to.match(/kubectl-seccomp\/web\.json\s+would create\s/)
      .and.contain('2 would create');
    expect(table.stdout).not.to.match(/\screated\s/);
    const run = await push(join(work, 'profiles'), '--dry-run');
    expect(run.json.nodes[0]!.results.map((r) => r.localhostProfile).sort()).to.deep.equal(['kubectl-seccomp/sub/worker.json', 'kubectl-seccomp/web.json']);
  });

  it('prints no localhostProfile snippet when no node was reached', async () => {
    const dead = await deadAddress();
    const run = await runCli(['push', '--agent', `node-gone=${dead}`, join(work, 'profiles')]);
    expect(run.code).to.equal(2);
    expect(run.stdout).to.contain('UNREACHABLE').and.not.contain('localhostProfile');
  });

  it('lints before sending: a typo in an ALLOW rule refuses the push; --allow-unknown sends it, warning per file', async () => {
    const file = join(work, 'typo.json');
    await writeFile(
      file,
      JSON.stringify({
        defaultAction: 'SCMP_ACT_ERRNO',
        architectures: ['SCMP_ARCH_X86_64'],
        syscalls: [{ names: ['read', 'wrtie'], action: 'SCMP_ACT_ALLOW' }, startable],
      }),
    );
    const refused = await runCli(['push', '--agent', `node-a=${agent.address}`, file]);
    expect(refused.code).to.equal(1);
    expect(errorText(refused)).to.contain('nothing was pushed').and.contain('wrtie').and.contain('did you mean "write"');
    await stat(join(host.seccompDir, 'kubectl-seccomp/typo.json')).then(
      () => expect.fail('a refused push wrote a file'),
      (err: NodeJS.ErrnoException) => expect(err.code).to.equal('ENOENT'),
    );
    const sent = await runCli(['push', '--agent', `node-a=${agent.address}`, file, '--allow-unknown']);
    expect(sent.code, sent.stderr).to.equal(0);
    expect(sent.stderr).to.match(/^warning: .*typo\.json:1:\d+ \/syscalls\/0\/names\/1: unknown syscall "wrtie"/m);
    await stat(join(host.seccompDir, 'kubectl-seccomp/typo.json'));
  });
});
