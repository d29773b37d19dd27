import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditNetlinkSource, findCaptureHelper, type RawRecord, type SourceSink } from '@kubectl-seccomp/agent';
import { runcAvailable, runContainer, startContainer } from '../harness/runc.js';
import { waitFor } from '../e2e/support.js';
import { mkdirProfile } from './profiles.js';
import { RawLog, skipUnless } from './support.js';

/**
 * The audit relay (seccomp-capture audit-relay, what the hostNetwork relay DaemonSet runs) hands every
 * seccomp record to the agent's netlink source over a Unix socket, and tells it how many came while
 * no agent was connected.
 */
describe('audit relay: the audit multicast group over a Unix socket', function () {
  this.timeout(60_000);
  let dir: string | undefined;
  let relay: ChildProcess | undefined;
  let source: AuditNetlinkSource | undefined;

  before(async function () {
    const helper = await findCaptureHelper();
    skipUnless(this, (await runcAvailable()) ?? (helper ? undefined : 'seccomp-capture is not built (scripts/build-native.sh)'));
    dir = await mkdtemp(join(tmpdir(), 'seccomp-relay-'));
    const child = spawn(helper!, ['audit-relay', join(dir, 'audit.sock')], { stdio: ['ignore', 'pipe', 'inherit'] });
    relay = child;
    await new Promise<void>((resolve, reject) => {
      child.stdout!.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`relay exited with ${code}`)));
    });
  });

  after(async () => {
    await source?.stop();
    relay?.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('counts records made while no agent was connected as lost, then delivers each record', async () => {
    const socket = join(dir!, 'audit.sock');
    expect((await stat(socket)).mode & 0o777, 'owner-only socket').to.equal(0o600);
    const before = await runContainer({ profile: mkdirProfile('SCMP_ACT_LOG'), args: ['/bin/sh', '-c', 'mkdir /tmp/a; mkdir /tmp/b'] });
    expect(before.exitCode, before.stderr).to.equal(0);

    const raw = new RawLog();
    let lost = 0;
    const sink: SourceSink = { record: (r: RawRecord) => raw.add(r), lost: (n) => (lost += n), healthy: () => undefined, unhealthy: () => undefined };
    source = new AuditNetlinkSource({ relaySocket: socket });
    await source.start(sink);
    const container = await startContainer({ profile: mkdirProfile('SCMP_ACT_LOG'), args: ['/bin/sh', '-c', 'read go && exec mkdir /tmp/c'] });
    try {
      container.send('go\n');
      expect((await container.exited).exitCode).to.equal(0);
    } finally {
      await container.stop();
    }

    // Other tests on this machine may make records too: this container's is told by its pid.
    const ours = (r: RawRecord): boolean => r.kind === 'audit' && r.text.includes(` pid=${container.pid} `);
    await raw.waitFor(ours);
    await waitFor('the missed count', () => lost >= 2 || undefined, { attempts: 50 });
    const records = raw.matching(ours);
    expect(records).to.have.length(1);
    expect(records[0]).to.include({ source: 'netlink', kind: 'audit' });
    expect((records[0] as { text: string }).text).to.match(/^type=1326 audit\(\d+\.\d{3}:\d+\): .*syscall=83 /);
  });
});
