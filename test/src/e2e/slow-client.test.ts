import { expect } from 'chai';
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StatsRecord } from '@kubectl-seccomp/cli';
import { startAgentProcess, type AgentProcess } from '../harness/agent-process.js';
import { TestCluster, type RunningCli } from '../harness/cluster.js';
import { skipUnless, waitFor } from './support.js';

/**
 * A watch client that stops reading while violations pour in: the real agent keeps a bounded queue
 * per watcher, drops the oldest events, counts them in the stream stats (which `watch --stats` shows),
 * and its memory stays bounded.
 *
 * The burst cannot come from the kernel here: the kernel rate-limits both the audit records it prints
 * (printk_ratelimit) and writes to /dev/kmsg (printk_devkmsg), so a storm arrives as a trickle plus a
 * "callbacks suppressed" count. auditd's log has no such limit, so this agent reads an audit.log in
 * its own host root, which the test appends thousands of records to at once. The CLI dials the agent
 * directly (--agent): the test API server's port-forward buffers without limit, so only a direct
 * connection lets a stalled client push back on the agent as a real API server's would.
 */

const BURST = 6000;
const STATS = /"kind":"stats"/;

/** One record as auditd writes it (enriched format: the 0x1d byte, then the interpreted fields). */
function auditdSeccompLine(serial: number, seconds: string): string {
  return `type=SECCOMP msg=audit(${seconds}:${serial}): auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined pid=${100_000 + (serial % 1000)} comm="burst" exe="/bin/busybox" sig=0 arch=c000003e syscall=83 compat=0 ip=0x47b567 code=0x7ffc0000\x1dAUID="unset" UID="root" GID="root" ARCH=x86_64 SYSCALL=mkdir\n`;
}

describe('e2e: a slow watch client', function () {
  this.timeout(120_000);
  let root: string | undefined;
  let agent: AgentProcess | undefined;
  let cluster: TestCluster | undefined;
  let watch: RunningCli | undefined;

  before(async function () {
    skipUnless(this, process.platform === 'linux' ? undefined : 'the agent reads /proc (Linux)');
    root = await mkdtemp(join(tmpdir(), 'kseccomp-e2e-slow-'));
    await mkdir(join(root, 'var/log/audit'), { recursive: true });
    await writeFile(join(root, 'var/log/audit/audit.log'), '');
    agent = await startAgentProcess([
      '--host-root',
      root,
      '--profile-dir',
      join(root, 'profiles'),
      '--node-name',
      'slow',
      '--kube',
      'off',
      '--sources',
      'auditlog',
    ]);
    // Only for its CLI runner: this agent is dialled directly.
    cluster = await TestCluster.start({ agentNodes: [] });
  });

  after(async () => {
    if (watch) {
      watch.child.kill('SIGCONT');
      await watch.stop();
    }
    await agent?.stop();
    await cluster?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('drops are counted and shown in the stats, and the agent RSS stays bounded', async () => {
    watch = cluster!.spawnCli(['watch', '-o', 'json', '--stats', '--agent', `slow=${agent!.address}`]);
    await watch.waitForLine((l) => STATS.test(l), 'the first stats line');
    const rssBefore = await agent!.rss();

    watch.child.kill('SIGSTOP');
    const seconds = (Date.now() / 1000).toFixed(3);
    let lines = '';
    for (let i = 1; i <= BURST; i++) lines += auditdSeccompLine(i, seconds);
    await appendFile(join(root!, 'var/log/audit/audit.log'), lines);
    // The agent has read the burst once it no longer grows the file's backlog: poll its RSS peak
    // meanwhile (generous bound: the queue is bounded, the burst is ~2 MB of text).
    let rssPeak = rssBefore;
    for (let i = 0; i < 20; i++) {
      rssPeak = Math.max(rssPeak, await agent!.rss());
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    watch.child.kill('SIGCONT');

    const line = await watch.waitForLine((l) => {
      if (!STATS.test(l)) return false;
      const s = JSON.parse(l) as StatsRecord;
      return s.seen >= BURST;
    }, `stats after all ${BURST} records were seen`);
    const stats = JSON.parse(line) as StatsRecord;
    expect(stats.node).to.equal('slow');
    expect(stats.dropped, 'events dropped for the stalled client').to.be.greaterThan(0);
    expect(rssPeak - rssBefore, `agent RSS grew from ${rssBefore} to ${rssPeak} bytes`).to.be.lessThan(64 * 1024 * 1024);
    // Every record seen is either delivered or counted as dropped, once the queue has drained.
    await waitFor(
      'delivered + dropped = seen',
      () => {
        const last = watch!.lines
          .filter((l) => STATS.test(l))
          .map((l) => JSON.parse(l) as StatsRecord)
          .at(-1)!;
        const delivered = watch!.lines.filter((l) => l.includes('"kind":"violation"')).length;
        return delivered + last.dropped === BURST && last.seen === BURST;
      },
      { state: () => watch!.lines.filter((l) => STATS.test(l)).at(-1) },
    );
  });
});
