import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { StatsRecord, ViolationRecord } from '@kubectl-seccomp/cli';
import { startAgentProcess, type AgentProcess } from '../harness/agent-process.js';
import { CLI_BIN, spawnCli, type RunningCli } from '../harness/cluster.js';
import { journaldAvailable, startJournald, type TestJournald } from '../harness/journald.js';
import { runContainer } from '../harness/runc.js';
import { containerPrerequisites, skipUnless, waitFor } from './support.js';

const execFileAsync = promisify(execFile);

/**
 * An agent with --state-dir is stopped, violations are logged while it is down, and it is started
 * again on the same address: a `watch --agent HOST:PORT` that was running reconnects and shows them,
 * once. The violators are busybox copies under a name of the test's own (their `exe` tells them from
 * whatever else runs on this kernel), each mkdir a process that exits at once. The agent reads the
 * kernel log and a private journald (its audit transport is not rate-limited like printk); the count
 * to reach is what that journal holds, the kernel's own records.
 */

type Line = ViolationRecord | StatsRecord;
const parse = (line: string): Line => JSON.parse(line) as Line;

const LOG_MKDIR = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_LOG' }] };
const NODE = 'restart-node';

/** Three mkdirs, each by a process that exits at once, made by a busybox copy at `exe`. */
function mkdirsBy(exe: string): string[] {
  return ['/bin/sh', '-c', `cp /bin/busybox ${exe} && for i in 1 2 3; do ${exe} mkdir /tmp/d$i; done`];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('e2e: an agent restart loses nothing a reconnecting watch should see', function () {
  this.timeout(120_000);
  let work: string | undefined;
  let journald: TestJournald | undefined;
  let agent: AgentProcess | undefined;
  let watch: RunningCli | undefined;
  let agentArgs: string[] = [];

  before(async function () {
    skipUnless(this, (await containerPrerequisites()) ?? (await journaldAvailable()));
    work = await mkdtemp(join(tmpdir(), 'kseccomp-e2e-restart-'));
    journald = await startJournald();
    const port = await freePort();
    agentArgs = [
      ...['--listen', `127.0.0.1:${port}`, '--host-root', '/', '--profile-dir', join(work, 'profiles'), '--node-name', NODE, '--kube', 'off'],
      ...['--sources', 'kmsg,journald', '--journal-dir', journald.journalDir, '--state-dir', join(work, 'state')],
    ];
    agent = await startAgentProcess(agentArgs);
  });

  after(async () => {
    await watch?.stop();
    await agent?.stop();
    await journald?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** The kernel's records of mkdirs by `exe`, as the private journald's audit transport stored them. */
  async function kernelRecordsBy(exe: string): Promise<string[]> {
    const { stdout } = await execFileAsync('journalctl', [`--directory=${journald!.journalDir}`, '-o', 'json', '_TRANSPORT=audit', '_AUDIT_TYPE=1326']);
    return stdout
      .split('\n')
      .filter((l) => l.includes(`exe=\\"${exe}\\"`))
      .map((l) => String((JSON.parse(l) as { MESSAGE: string }).MESSAGE));
  }

  const violationsBy = (exe: string): ViolationRecord[] => watch!.lines.map(parse).filter((l): l is ViolationRecord => l.kind === 'violation' && l.exe === exe);

  it('records logged while the agent was down reach the watch once it reconnects, once, labelled with the node name', async () => {
    const tag = randomBytes(3).toString('hex');
    const before = `/tmp/busybox-b${tag}`;
    const during = `/tmp/busybox-d${tag}`;
    watch = spawnCli([CLI_BIN, 'watch', '--agent', agent!.address, '-o', 'json', '--stats']);
    await watch.waitForLine((l) => parse(l).kind === 'stats', 'the first stats line');

    await runContainer({ profile: LOG_MKDIR, args: mkdirsBy(before) });
    await waitFor('the mkdirs made while the agent ran', () => violationsBy(before).length >= 3, { state: () => watch!.stderr() });

    await agent!.stop();
    await waitFor('the CLI to lose its stream', () => watch!.stderr().includes('stream lost'), { state: () => watch!.stderr() });
    const down = await runContainer({ profile: LOG_MKDIR, args: mkdirsBy(during) });
    expect(down.exitCode, down.stderr).to.equal(0);
    const logged = await waitFor('the kernel records of the mkdirs made while the agent was down', async () => {
      const records = await kernelRecordsBy(during);
      return records.length >= 3 && records;
    });

    agent = await startAgentProcess(agentArgs);
    await waitFor('the CLI to reconnect', () => watch!.stderr().includes('reconnected'), { attempts: 600, state: () => watch!.stderr() });
    await waitFor('the mkdirs made while the agent was down', () => violationsBy(during).length >= logged.length, { state: () => watch!.stderr() });
    // One more stats line from the new stream: anything replayed twice would have come before it.
    const lines = watch.lines.length;
    await watch.waitForLine((l) => watch!.lines.indexOf(l) >= lines && parse(l).kind === 'stats', 'a stats line after the replay');
    const result = await watch.stop();

    const seen = violationsBy(during);
    expect(seen.map((v) => v.auditId).sort()).to.deep.equal([...new Set(seen.map((v) => v.auditId))].sort());
    expect(seen).to.have.length(logged.length);
    expect(violationsBy(before)).to.have.length(3);
    const labels = new Set(watch.lines.map((l) => parse(l).node));
    expect([...labels], result.stderr).to.deep.equal([NODE]);
    for (const v of seen) expect(v).to.include({ syscall: 'mkdir', action: 'SCMP_ACT_LOG' });
  });
});
