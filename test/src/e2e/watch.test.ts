import { expect } from 'chai';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StatsRecord, ViolationRecord } from '@kubectl-seccomp/cli';
import { pod } from '../harness/apiserver/index.js';
import { TestCluster, type RunningCli } from '../harness/cluster.js';
import { journaldAvailable, startJournald, type TestJournald } from '../harness/journald.js';
import { runContainer, startContainer, type RunningContainer } from '../harness/runc.js';
import { seccompRecordsOf } from './kmsg.js';
import { containerPrerequisites, skipUnless, waitFor } from './support.js';

/**
 * watch the way a cluster runs it: runc containers in kubepods cgroups whose pod UID and container ID
 * match pods in the API server, under a profile pushed to the nodes; the kernel's records read by the
 * real agents from /dev/kmsg, named by their pod informers, streamed through port-forward to
 * `kubectl-seccomp watch -o json`.
 *
 * The agents read the kernel log and a private journald (its audit transport): the kernel rate-limits
 * the audit records it prints to the kernel log (printk_ratelimit, shared with whatever else runs on
 * the machine), while journald receives them over the audit netlink socket; the pipeline de-duplicates
 * the two copies by audit id, as on a real node.
 *
 * Both agents run on this one machine and read the same kernel log, so each one sees every record.
 * An agent names only pods of its own node (its informer lists pods with spec.nodeName = its node),
 * exactly as on a real node, where the other node's containers are not on it. The watches filter on
 * the workload namespace (`-n shop`, what a user does), so the copy the other agent cannot attribute
 * (no pod name) is filtered out by that agent, and each violation arrives once, from its own node.
 * Host processes are still reported by every agent without a filter: that is the product's behaviour
 * on real nodes, not something this test hides.
 */

type Line = ViolationRecord | StatsRecord;

const parse = (line: string): Line => JSON.parse(line) as Line;
const violations = (cli: RunningCli): ViolationRecord[] => cli.lines.map(parse).filter((l): l is ViolationRecord => l.kind === 'violation');

/** mkdir exits at once: the agents name it from BPF process tracking, not from /proc. */
const LOGGED_MKDIR = 'read go && exec mkdir /tmp/x';
/** KILL_PROCESS ends the container's main process, which runc reaps at once. */
const KILLED_CHMOD = 'read go && exec chmod 000 /tmp';

const TRIAL = {
  defaultAction: 'SCMP_ACT_ALLOW',
  syscalls: [
    { names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_LOG' },
    { names: ['chmod', 'fchmodat'], action: 'SCMP_ACT_KILL_PROCESS' },
  ],
};

const hexId = (): string => randomBytes(32).toString('hex');

describe('e2e: watch, suggest and the faults of a watch', function () {
  this.timeout(120_000);
  let cluster: TestCluster | undefined;
  let work: string | undefined;
  const containers: RunningContainer[] = [];
  const ids = { logger: hexId(), killer: hexId(), sentinel: hexId(), sentinel2: hexId() };
  const uids = { logger: randomUUID(), killer: randomUUID() };
  let trialFile = '';
  let trial: object;
  let rerunWatch: RunningCli | undefined;
  let journald: TestJournald | undefined;

  before(async function () {
    skipUnless(this, (await containerPrerequisites()) ?? (await journaldAvailable()));
    work = await mkdtemp(join(tmpdir(), 'kseccomp-e2e-watch-'));
    await mkdir(join(work, 'push'));
    await writeFile(join(work, 'push', 'trial.json'), JSON.stringify(TRIAL, null, 2));
    journald = await startJournald();
    cluster = await TestCluster.start({
      agentNodes: ['node-a', 'node-b'],
      namespaces: ['shop'],
      agentArgs: ['--sources', 'kmsg,journald', '--journal-dir', journald.journalDir],
    });
    cluster.apply(
      pod('logger', { namespace: 'shop', node: 'node-a', uid: uids.logger, containers: { app: ids.logger, sentinel: ids.sentinel, sentinel2: ids.sentinel2 } }),
    );
    cluster.apply(pod('killer', { namespace: 'shop', node: 'node-b', uid: uids.killer, containers: { app: ids.killer } }));
    const pushed = await cluster.cli(['push', join(work, 'push'), '--node', 'node-a', '--node', 'node-b']);
    expect(pushed.code, pushed.stdout + pushed.stderr).to.equal(0);
    // What the kubelet would hand the runtime: the file on the node.
    trialFile = join(cluster.agent('node-a').profileDir, 'kubectl-seccomp', 'trial.json');
    trial = JSON.parse(await readFile(trialFile, 'utf8')) as object;
  });

  after(async () => {
    await Promise.all(containers.map((c) => c.stop()));
    await cluster?.stop();
    await journald?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function start(spec: Parameters<typeof startContainer>[0]): Promise<RunningContainer> {
    const c = await startContainer(spec);
    containers.push(c);
    return c;
  }

  /** Resolves once every node has sent a stats line after `after` lines: its stream is up to date. */
  async function statsFromAll(cli: RunningCli, nodes: string[], after = cli.lines.length): Promise<void> {
    await waitFor(
      `stats from ${nodes.join(', ')}`,
      () => nodes.every((n) => cli.lines.slice(after).some((l) => parse(l).kind === 'stats' && parse(l).node === n)),
      {
        state: () => cli.stderr(),
      },
    );
  }

  function startWatch(args: string[]): RunningCli {
    return cluster!.spawnCli(['watch', '-o', 'json', '--stats', ...args]);
  }

  it('each violation arrives once, with node, namespace, pod, container, syscall and action; --suggest writes one profile per container', async () => {
    const suggestDir = join(work!, 'suggested');
    const watch = startWatch(['-n', 'shop', '--suggest', `${suggestDir}/`, '--base', trialFile]);
    await statsFromAll(watch, ['node-a', 'node-b']);

    const logger = await start({ id: ids.logger, podUid: uids.logger, profile: trial, args: ['/bin/sh', '-c', LOGGED_MKDIR] });
    const killer = await start({ id: ids.killer, podUid: uids.killer, profile: trial, args: ['/bin/sh', '-c', KILLED_CHMOD] });
    logger.send('go\n');
    killer.send('go\n');
    await watch.waitForLine((l) => parse(l).kind === 'violation' && (parse(l) as ViolationRecord).pod === 'logger', 'the mkdir violation');
    await watch.waitForLine((l) => parse(l).kind === 'violation' && (parse(l) as ViolationRecord).pod === 'killer', 'the chmod violation');
    // A stats line is sent after what was queued before it: any duplicate would be in by then.
    await statsFromAll(watch, ['node-a', 'node-b']);
    const result = await watch.stop();

    const seen = violations(watch);
    expect(seen, JSON.stringify(seen)).to.have.length(2);
    expect(seen.find((v) => v.pod === 'logger')).to.deep.include({
      node: 'node-a',
      namespace: 'shop',
      container: 'app',
      containerId: ids.logger,
      podUid: uids.logger,
      pid: logger.pid,
      syscall: 'mkdir',
      action: 'SCMP_ACT_LOG',
    });
    expect(seen.find((v) => v.pod === 'killer')).to.deep.include({
      node: 'node-b',
      namespace: 'shop',
      container: 'app',
      containerId: ids.killer,
      podUid: uids.killer,
      syscall: 'chmod',
      action: 'SCMP_ACT_KILL_PROCESS',
    });
    expect((await readdir(suggestDir)).sort(), result.stderr).to.deep.equal(['shop_killer_app.json', 'shop_logger_app.json']);
  });

  it('the suggested profiles let the same containers run without a violation', async function () {
    const suggestDir = join(work!, 'suggested');
    const suggested = async (name: string): Promise<object> => {
      try {
        return JSON.parse(await readFile(join(suggestDir, name), 'utf8')) as object;
      } catch (err) {
        throw new Error(`no usable suggestion ${name} (did the first test pass?): ${(err as Error).message}`);
      }
    };
    const forLogger = await suggested('shop_logger_app.json');
    const forKiller = await suggested('shop_killer_app.json');
    await Promise.all(containers.splice(0).map((c) => c.stop()));

    rerunWatch = startWatch(['-n', 'shop']);
    await statsFromAll(rerunWatch, ['node-a', 'node-b']);
    const logger = await start({ id: ids.logger, podUid: uids.logger, profile: forLogger, args: ['/bin/sh', '-c', 'read go && exec mkdir /tmp/x'] });
    logger.send('go\n');
    expect((await logger.exited).exitCode, 'mkdir under the suggestion').to.equal(0);
    const killer = await runContainer({ id: ids.killer, podUid: uids.killer, profile: forKiller, args: ['/bin/sh', '-c', 'chmod 000 /tmp'] });
    expect(killer.exitCode, `chmod under the suggestion: ${killer.stderr}`).to.equal(0);

    // The kernel logs records in order: once a later violation is through, an earlier one would be too.
    const sentinel = await start({ id: ids.sentinel, podUid: uids.logger, profile: trial, args: ['/bin/sh', '-c', LOGGED_MKDIR] });
    sentinel.send('go\n');
    await rerunWatch.waitForLine((l) => parse(l).kind === 'violation' && (parse(l) as ViolationRecord).container === 'sentinel', 'the sentinel violation');
    expect(seccompRecordsOf(logger.pid), 'kernel records of mkdir under the suggestion').to.deep.equal([]);
    expect(violations(rerunWatch).map((v) => `${v.pod}/${v.container}`)).to.deep.equal(['logger/sentinel']);
  });

  it('an agent restarted during watch: the CLI reconnects, shows new violations, and repeats none', async function () {
    if (!rerunWatch) this.skip();
    const watch = rerunWatch!;
    await cluster!.restartAgent('node-a');
    await waitFor('the CLI to reconnect to node-a', () => watch.stderr().includes('node node-a: reconnected'), { attempts: 600, state: () => watch.stderr() });
    const sentinel2 = await start({ id: ids.sentinel2, podUid: uids.logger, profile: trial, args: ['/bin/sh', '-c', LOGGED_MKDIR] });
    sentinel2.send('go\n');
    await watch.waitForLine((l) => parse(l).kind === 'violation' && (parse(l) as ViolationRecord).container === 'sentinel2', 'the violation after the restart');
    await statsFromAll(watch, ['node-a', 'node-b']);
    await watch.stop();
    // The new agent may replay its kernel log since the last event the CLI saw: the CLI drops what it
    // already showed.
    const seen = violations(watch);
    expect(seen.map((v) => `${v.node} ${v.pod}/${v.container}`)).to.deep.equal(['node-a logger/sentinel', 'node-a logger/sentinel2']);
    expect(new Set(seen.map((v) => v.auditId)).size).to.equal(seen.length);
  });
});
