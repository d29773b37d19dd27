import { expect } from 'chai';
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PushOutput } from '@kubectl-seccomp/cli';
import { flatten, flattenTargetFor, parseProfile, serializeProfile } from '@kubectl-seccomp/profiles';
import type { NodeInfo } from '@kubectl-seccomp/proto';
import { TestCluster } from '../harness/cluster.js';
import { agentPrerequisites, skipUnless } from './support.js';

/**
 * An agent SIGKILLed in the middle of a push: every profile file on its disk is the old version or
 * the new one, never a partial write; the CLI names the node as failed and exits non-zero; the other
 * node is updated; after the agent's restart a new push completes it and no temp file is left.
 *
 * The agents run without the ConfigMap reconciler (--kube off) so that the only writer is the push's
 * own SyncProfiles, and the kill lands inside it: at the first new file renamed into place.
 */

const COUNT = 200;
const PREFIX = 'kubectl-seccomp';
const TEMP_FILE = /^\.kubectl-seccomp\.[0-9a-f]{16}\.tmp$/;
const SYSCALLS = [
  'read',
  'write',
  'openat',
  'close',
  'fstat',
  'mmap',
  'mprotect',
  'munmap',
  'brk',
  'rt_sigaction',
  'rt_sigprocmask',
  'ioctl',
  'pread64',
  'pwrite64',
  'readv',
  'writev',
  'access',
  'pipe',
  'select',
  'sched_yield',
  'mremap',
  'msync',
  'mincore',
  'madvise',
  'dup',
  'dup2',
  'nanosleep',
  'getpid',
  'socket',
  'connect',
  'accept',
  'sendto',
  'recvfrom',
  'bind',
  'listen',
  'clone',
  'execve',
  'exit',
  'wait4',
  'kill',
  'uname',
  'fcntl',
  'flock',
  'fsync',
  'getcwd',
  'chdir',
  'rename',
  'mkdir',
  'rmdir',
  'unlink',
];

/** Profile i of a version: distinct per file and per version, a few KB each. */
function profileText(i: number, version: number): string {
  return JSON.stringify(
    {
      defaultAction: 'SCMP_ACT_ERRNO',
      defaultErrnoRet: 1,
      syscalls: [
        { names: SYSCALLS.slice(0, 20 + ((i + version) % 30)), action: 'SCMP_ACT_ALLOW' },
        { names: ['ptrace'], action: version === 1 ? 'SCMP_ACT_ERRNO' : 'SCMP_ACT_KILL_PROCESS' },
        // What every container calls at start: push refuses a profile lint says can start none.
        { names: ['execve', 'exit_group', 'fstatfs', 'getdents64'], action: 'SCMP_ACT_ALLOW' },
      ],
    },
    null,
    2,
  );
}

const fileName = (i: number): string => `p${String(i).padStart(4, '0')}.json`;

describe('e2e: an agent killed in the middle of a push', function () {
  this.timeout(120_000);
  let cluster: TestCluster | undefined;
  let work: string | undefined;
  let watcher: FSWatcher | undefined;

  before(async function () {
    skipUnless(this, agentPrerequisites());
    work = await mkdtemp(join(tmpdir(), 'kseccomp-e2e-kill-'));
    await Promise.all([1, 2].map((v) => mkdir(join(work!, `v${v}`))));
    for (let i = 0; i < COUNT; i++) {
      await writeFile(join(work, 'v1', fileName(i)), profileText(i, 1));
      await writeFile(join(work, 'v2', fileName(i)), profileText(i, 2));
    }
    cluster = await TestCluster.start({ agentNodes: ['node-a', 'node-b'], agentArgs: ['--sources', 'kmsg', '--kube', 'off'] });
  });

  after(async () => {
    watcher?.close();
    await cluster?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function push(dir: string): Promise<{ code: number | null; out: PushOutput; stderr: string }> {
    const r = await cluster!.cli(['push', '-o', 'json', dir, '--node', 'node-a', '--node', 'node-b']);
    try {
      return { code: r.code, out: JSON.parse(r.stdout) as PushOutput, stderr: r.stderr };
    } catch {
      throw new Error(`push printed no JSON (exit ${r.code}): ${r.stdout} ${r.stderr}`);
    }
  }

  /** The bytes an agent writes for profile i of a version on a node (flatten + serialize). */
  function rendered(i: number, version: number, info: NodeInfo): string {
    const parsed = parseProfile(profileText(i, version), fileName(i));
    if (!parsed.ok) throw new Error(`test profile ${fileName(i)} v${version} does not parse: ${JSON.stringify(parsed.errors)}`);
    return serializeProfile(flatten(parsed.profile, flattenTargetFor(info)));
  }

  it('leaves each file old or new, reports the node as failed, and converges after a restart', async () => {
    const first = await push(join(work!, 'v1'));
    expect(first.code, first.stderr).to.equal(0);
    const info = first.out.nodes.find((n) => n.node === 'node-a')!.info!;

    const agentA = cluster!.agent('node-a');
    const dir = join(agentA.profileDir, PREFIX);
    let killed: Promise<void> | undefined;
    watcher = watch(dir, (_event, name) => {
      if (killed || !name?.endsWith('.json')) return;
      killed = agentA.process.kill();
    });
    const second = await push(join(work!, 'v2'));
    watcher.close();
    expect(killed, 'the agent was killed during the push').to.not.equal(undefined);
    await killed;

    expect(second.code, second.stderr).to.be.oneOf([1, 2]);
    const a = second.out.nodes.find((n) => n.node === 'node-a');
    expect(a?.status, JSON.stringify(a)).to.be.oneOf(['unreachable', 'error']);
    expect(a?.error?.message).to.be.a('string').and.not.equal('');
    const b = second.out.nodes.find((n) => n.node === 'node-b');
    expect(b?.status).to.equal('ok');
    expect(b!.results.filter((r) => r.outcome === 'updated')).to.have.length(COUNT);

    const entries = await readdir(dir);
    const profiles = entries.filter((e) => !TEMP_FILE.test(e));
    expect(profiles.sort()).to.deep.equal(Array.from({ length: COUNT }, (_, i) => fileName(i)));
    let newer = 0;
    for (let i = 0; i < COUNT; i++) {
      const bytes = await readFile(join(dir, fileName(i)), 'utf8');
      const old = rendered(i, 1, info);
      const fresh = rendered(i, 2, info);
      expect(bytes === old || bytes === fresh, `${fileName(i)} is neither the old nor the new version (${bytes.length} bytes)`).to.equal(true);
      if (bytes === fresh) newer++;
    }
    expect(newer, 'files already replaced when the agent died').to.be.within(1, COUNT - 1);

    await cluster!.restartAgent('node-a');
    const third = await push(join(work!, 'v2'));
    expect(third.code, third.stderr).to.equal(0);
    const outcomes = third.out.nodes.find((n) => n.node === 'node-a')!.results.map((r) => r.outcome);
    expect(outcomes.filter((o) => o === 'updated')).to.have.length(COUNT - newer);
    expect(outcomes.filter((o) => o === 'unchanged')).to.have.length(newer);
    expect(
      (await readdir(dir)).filter((e) => TEMP_FILE.test(e)),
      'temp files left after the restart',
    ).to.deep.equal([]);
  });
});
