import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { DoctorOutput } from '@kubectl-seccomp/cli';
import { runCli, type CliRun as Run } from '@kubectl-seccomp/cli/testing';
import { node, TestApiServer } from '../harness/apiserver/index.js';

/** The CLI with this environment only (no KUBECONFIG or HOME of the machine running the tests). */
const cli = (args: string[], env: NodeJS.ProcessEnv): Promise<Run> => runCli(args, { env, isolated: true });

const nodeNames = (run: Run): string[] => {
  try {
    return (JSON.parse(run.stdout) as DoctorOutput).nodes.map((n) => n.node).sort();
  } catch {
    throw new Error(`no JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
};

/** A kubeconfig of one context, `test`, whose cluster and user are given. */
async function kubeconfig(file: string, server: string, user: object): Promise<string> {
  await writeFile(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'test', cluster: { server, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'test', user }],
      contexts: [{ name: 'test', context: { cluster: 'test', user: 'test' } }],
      'current-context': 'test',
    }),
  );
  return file;
}

describe('kubeconfig as kubectl reads it (real CLI, test API server)', function () {
  this.timeout(60_000);
  let api: TestApiServer;
  let dir: string;
  let good: string;

  before(async () => {
    api = await TestApiServer.start();
    api.apply(node('node-a', {}));
    dir = await mkdtemp(join(tmpdir(), 'kubeconfig-rules-'));
    good = await api.writeKubeconfig();
  });
  after(async () => {
    await api?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a KUBECONFIG list with a missing file: the missing one is skipped', async () => {
    const run = await cli(['doctor', '-o', 'json'], { HOME: dir, KUBECONFIG: [join(dir, 'missing'), good].join(delimiter) });
    expect(nodeNames(run)).to.deep.equal(['node-a']);
  });

  it('names defined twice in the list: the first file wins, as in kubectl', async () => {
    // Same cluster, user and context names; its server would refuse every connection.
    const later = await kubeconfig(join(dir, 'later'), 'http://127.0.0.1:1', { token: 'other' });
    const run = await cli(['doctor', '-o', 'json'], { HOME: dir, KUBECONFIG: [good, later].join(delimiter) });
    expect(nodeNames(run)).to.deep.equal(['node-a']);
  });

  it('no kubeconfig at all: exit 2, suggesting --local and --agent', async () => {
    const run = await cli(['doctor'], { HOME: dir });
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('no kubeconfig').and.contain('--local').and.contain('--agent HOST:PORT');
  });

  it('a failing exec credential plugin: its stderr is the reason given', async () => {
    const user = {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: process.execPath,
        args: ['-e', 'process.stderr.write("token expired: run `login`"); process.exit(3)'],
        interactiveMode: 'Never',
      },
    };
    const file = await kubeconfig(join(dir, 'exec'), api.url, user);
    const run = await cli(['doctor', '--kubeconfig', file], { HOME: dir });
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('token expired: run `login`');
  });
});
