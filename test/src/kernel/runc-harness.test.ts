import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { runcAvailable, runContainer, startContainer, type RunningContainer } from '../harness/runc.js';
import { mkdirProfile } from './profiles.js';
import { skipUnless } from './support.js';

function podCgroupExists(podUid: string): boolean {
  return existsSync(`/sys/fs/cgroup/pids/kubepods/besteffort/pod${podUid}`) || existsSync(`/sys/fs/cgroup/kubepods/besteffort/pod${podUid}`);
}

function runcKnows(id: string): boolean {
  return execFileSync('/usr/sbin/runc', ['list', '-q'], { encoding: 'utf8' }).split('\n').includes(id);
}

describe('runc harness', function () {
  this.timeout(60_000);
  let running: RunningContainer | undefined;

  before(async function () {
    skipUnless(this, await runcAvailable());
  });

  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('runs a command in a kubepods cgroup and cleans everything up', async () => {
    const podUid = '6f1a8a53-0c1e-4d8e-9f5e-1a2b3c4d5e6f';
    const result = await runContainer({ profile: mkdirProfile('SCMP_ACT_LOG'), podUid, args: ['/bin/sh', '-c', 'cat /proc/self/cgroup; echo done >&2'] });
    expect(result.exitCode).to.equal(0);
    expect(result.id).to.match(/^[0-9a-f]{64}$/);
    expect(result.stdout).to.contain(`pids:/kubepods/besteffort/pod${podUid}/${result.id}\n`);
    expect(result.stderr).to.equal('done\n');
    expect(runcKnows(result.id)).to.equal(false);
    expect(podCgroupExists(podUid)).to.equal(false);
  });

  it('a SCMP_ACT_KILL_PROCESS hit ends the container with SIGSYS (exit 159)', async () => {
    const result = await runContainer({ profile: mkdirProfile('SCMP_ACT_KILL_PROCESS'), args: ['/bin/sh', '-c', 'exec mkdir /tmp/x'] });
    expect(result.exitCode).to.equal(128 + 31);
  });

  it('starts a container, reports its host pid and processes, and stop kills it', async () => {
    running = await startContainer({ profile: mkdirProfile('SCMP_ACT_LOG'), args: ['/bin/sh', '-c', 'read line; echo "got $line"'] });
    expect(readFileSync(`/proc/${running.pid}/cgroup`, 'utf8')).to.contain(`/${running.id}\n`);
    expect(await running.processes()).to.deep.equal([running.pid]);
    running.send('hello\n');
    const result = await running.exited;
    expect(result.stdout).to.equal('got hello\n');
    await running.stop();
    expect(runcKnows(running.id)).to.equal(false);
    expect(podCgroupExists(running.podUid)).to.equal(false);
  });

  it('stop ends a container that would run forever', async () => {
    running = await startContainer({ profile: mkdirProfile('SCMP_ACT_LOG'), args: ['/bin/sleep', '600'] });
    const pid = running.pid;
    const result = await running.stop();
    expect(result.exitCode).to.equal(128 + 9);
    expect(existsSync(`/proc/${pid}`)).to.equal(false);
  });
});
