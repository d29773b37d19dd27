import { expect } from 'chai';
import { randomBytes, randomUUID } from 'node:crypto';
import type { StatsRecord, ViolationRecord } from '@kubectl-seccomp/cli';
import { findCaptureHelper } from '@kubectl-seccomp/agent';
import { pod } from '../harness/apiserver/index.js';
import { TestCluster, type RunningCli } from '../harness/cluster.js';
import { runContainer } from '../harness/runc.js';
import { containerPrerequisites, waitFor } from '../e2e/support.js';
import { defaultPrintkLimits } from './printk-limits.js';
import { pidsWithArgument, skipUnless } from './support.js';

/**
 * The acceptance of kernel-side capture: the agent in its default mode (--sources auto, process
 * tracking auto) on a node that allows it, at the kernel's default printk limits, without auditd or a
 * journald audit socket. Three runc containers in kubepods cgroups, nothing kept alive: each main shell
 * forks 20 busybox mkdirs that exit at once, makes chdir calls itself, and in one container the main
 * process is killed by KILL_PROCESS and reaped by runc at once. `watch -o json` must bring (nearly)
 * every record with its container, pod and namespace.
 */

const PROFILE = {
  defaultAction: 'SCMP_ACT_ALLOW',
  syscalls: [
    { names: ['mkdir', 'mkdirat', 'chdir'], action: 'SCMP_ACT_LOG' },
    { names: ['chmod', 'fchmodat'], action: 'SCMP_ACT_KILL_PROCESS' },
  ],
};
const CHILDREN = 'for i in $(seq 20); do mkdir /tmp/x$i; done';
/** `cd` is a shell builtin: the main process itself calls chdir. */
const MAIN = 'for i in $(seq 5); do cd /tmp; done';

type Line = ViolationRecord | StatsRecord;
const parse = (line: string): Line => JSON.parse(line) as Line;

async function prerequisites(): Promise<string | undefined> {
  const missing = await containerPrerequisites();
  if (missing) return missing;
  if (!(await findCaptureHelper())) return 'seccomp-capture is not built (scripts/build-native.sh needs clang, bpftool, libbpf-dev)';
  if (pidsWithArgument('auditd').length > 0) return 'auditd is running: this test is about nodes without it';
  return undefined;
}

describe('kernel capture: every violation seen and named, processes exited or killed', function () {
  this.timeout(120_000);
  let cluster: TestCluster | undefined;
  let watch: RunningCli | undefined;
  let restorePrintk: (() => Promise<void>) | undefined;
  const containers = [0, 1, 2].map((i) => ({ name: `app-${i}`, id: randomBytes(32).toString('hex'), podUid: randomUUID(), killed: i === 2 }));

  before(async function () {
    skipUnless(this, await prerequisites());
    restorePrintk = await defaultPrintkLimits();
    cluster = await TestCluster.start({ agentNodes: ['node-a'], namespaces: ['shop'], agentArgs: ['--resync', '60'] });
    for (const c of containers) cluster.apply(pod(c.name, { namespace: 'shop', node: 'node-a', uid: c.podUid, containers: { main: c.id } }));
  });

  after(async () => {
    await watch?.stop();
    await cluster?.stop();
    await restorePrintk?.();
  });

  it('watch -o json delivers >= 99% of the records with container ID, pod and namespace', async () => {
    watch = cluster!.spawnCli(['watch', '-o', 'json', '--stats', '-n', 'shop']);
    await watch.waitForLine((l) => parse(l).kind === 'stats', 'the first stats line');

    const results = await Promise.all(
      containers.map((c) =>
        runContainer({
          id: c.id,
          podUid: c.podUid,
          profile: PROFILE,
          args: ['/bin/sh', '-c', `${CHILDREN}; ${MAIN}${c.killed ? '; exec chmod 000 /tmp' : ''}`],
        }),
      ),
    );
    containers.forEach((c, i) => expect(results[i]!.exitCode, results[i]!.stderr).to.equal(c.killed ? 128 + 31 : 0));

    const expected = containers.length * 25 + 1;
    const violations = (): ViolationRecord[] => watch!.lines.map(parse).filter((l): l is ViolationRecord => l.kind === 'violation');
    const named = (): ViolationRecord[] =>
      violations().filter((v) =>
        containers.some((c) => v.containerId === c.id && v.podUid === c.podUid && v.pod === c.name && v.namespace === 'shop' && v.container === 'main'),
      );
    await waitFor(`${expected} named violations`, () => named().length >= expected || undefined, {
      attempts: 100,
      state: () => ({ got: violations().length, named: named().length, stderr: watch!.stderr().slice(-2000) }),
    }).catch(() => undefined);

    const got = named();
    for (const c of containers) {
      const mine = got.filter((v) => v.containerId === c.id);
      expect(mine.filter((v) => v.syscall === 'mkdir' && v.comm === 'mkdir').length, `${c.name}: mkdir from short-lived children`).to.be.at.least(19);
      expect(mine.filter((v) => v.syscall === 'chdir' && v.comm === 'sh').length, `${c.name}: chdir from the main process`).to.be.at.least(4);
      if (c.killed)
        expect(
          mine.filter((v) => v.action === 'SCMP_ACT_KILL_PROCESS' && v.syscall === 'chmod'),
          `${c.name}: the killed main process`,
        ).to.have.length(1);
    }
    expect(got.length, `named ${got.length} of ${expected}; all violations: ${violations().length}`).to.be.at.least(Math.ceil(expected * 0.99));
    // Each record once: no copy slipped through another carrier.
    expect(new Set(got.map((v) => v.auditId)).size).to.equal(got.length);
  });
});
