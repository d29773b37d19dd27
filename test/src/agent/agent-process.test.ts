import { expect } from 'chai';
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentError, createAgentClient, type AgentClient, type WatchEvent } from '@kubectl-seccomp/proto';
import { sha256Hex } from '@kubectl-seccomp/profiles';
import { killStrayAgents, startAgentProcess, type AgentProcess } from '../harness/agent-process.js';

const HEALTHY = fileURLToPath(new URL('../../../agent/fixtures/hosts/healthy', import.meta.url));
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const PROFILE = '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","write"],"action":"SCMP_ACT_ALLOW"}]}\n';
const PROFILE_V2 = '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","write","exit"],"action":"SCMP_ACT_ALLOW"}]}\n';

/** An audit.log SECCOMP record as auditd writes it. */
function auditLine(serial: number, syscall = 83, comm = 'mkdir'): string {
  return `type=SECCOMP msg=audit(1795369472.866:${serial}): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=999999 comm="${comm}" exe="/bin/busybox" sig=0 arch=c000003e syscall=${syscall} compat=0 ip=0x47b567 code=0x7ffc0000\n`;
}

async function expectAgentError(p: Promise<unknown>, code: string, text: RegExp): Promise<void> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(AgentError);
    expect((err as AgentError).code).to.equal(code);
    expect((err as AgentError).message).to.match(text);
    return;
  }
  expect.fail(`expected AgentError ${code}`);
}

describe('the seccomp-agent process on loopback', function () {
  this.timeout(60000);
  let root: string;
  let profileDir: string;
  let auditLog: string;
  let agent: AgentProcess;
  let client: AgentClient;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'agent-proc-'));
    await cp(HEALTHY, root, { recursive: true, verbatimSymlinks: true });
    profileDir = join(root, 'var/lib/kubelet/seccomp');
    auditLog = join(root, 'var/log/audit/audit.log');
    await mkdir(join(root, 'var/log/audit'), { recursive: true });
    await writeFile(auditLog, auditLine(1));
    // These cases are about the store over gRPC, at any path: the prefix restriction has its own test.
    agent = await startAgentProcess(['--host-root', root, '--node-name', 'node-1', '--kube', 'off', '--sources', 'auditlog', '--write-prefix', '']);
    client = createAgentClient(agent.address);
  });

  after(async () => {
    client?.close();
    await killStrayAgents();
    await rm(root, { recursive: true, force: true });
  });

  it('answers Doctor with the node name and the checks of its host root', async () => {
    const res = await client.doctor();
    expect(res.node.nodeName).to.equal('node-1');
    expect(res.node.profileDir).to.equal('/var/lib/kubelet/seccomp');
    expect(res.checks.map((c) => c.id)).to.include.members(['kubelet.seccomp-default', 'kernel.actions-logged', 'profiles.dir']);
    expect(res.checks.find((c) => c.id === 'kubelet.root-dir')?.status).to.equal('pass');
  });

  it('creates, keeps, updates and lists profiles, byte for byte', async () => {
    const created = await client.syncProfiles({ files: [{ path: 'app/web.json', content: enc(PROFILE) }], unchanged: [], prune: false, dryRun: false });
    expect(created.results).to.deep.equal([{ path: 'app/web.json', outcome: 'created', sha256: sha256Hex(PROFILE), error: '' }]);
    expect(await readFile(join(profileDir, 'app/web.json'), 'utf8')).to.equal(PROFILE);
    const before = (await stat(join(profileDir, 'app/web.json'))).mtimeMs;

    const same = await client.syncProfiles({ files: [], unchanged: [{ path: 'app/web.json', sha256: sha256Hex(PROFILE) }], prune: false, dryRun: false });
    expect(same.results[0]?.outcome).to.equal('unchanged');
    expect((await stat(join(profileDir, 'app/web.json'))).mtimeMs).to.equal(before);

    const updated = await client.syncProfiles({ files: [{ path: 'app/web.json', content: enc(PROFILE_V2) }], unchanged: [], prune: false, dryRun: false });
    expect(updated.results[0]?.outcome).to.equal('updated');
    const listed = await client.listProfiles();
    const web = listed.profiles.find((p) => p.path === 'app/web.json');
    expect(web).to.include({ sha256: sha256Hex(PROFILE_V2), size: PROFILE_V2.length, managed: true, error: '' });
  });

  it('dry-run reports what would change and changes nothing', async () => {
    const res = await client.syncProfiles({ files: [{ path: 'dry.json', content: enc(PROFILE) }], unchanged: [], prune: true, dryRun: true });
    expect(res.dryRun).to.equal(true);
    expect(res.results.map((r) => [r.path, r.outcome])).to.deep.include.members([
      ['dry.json', 'created'],
      ['app/web.json', 'deleted'],
    ]);
    await expectMissing(join(profileDir, 'dry.json'));
    await stat(join(profileDir, 'app/web.json'));
  });

  it('prune deletes only the files the agent manages', async () => {
    await writeFile(join(profileDir, 'someone-else.json'), PROFILE);
    const res = await client.syncProfiles({ files: [{ path: 'kept.json', content: enc(PROFILE) }], unchanged: [], prune: true, dryRun: false });
    expect(res.results.map((r) => [r.path, r.outcome])).to.deep.include.members([
      ['kept.json', 'created'],
      ['app/web.json', 'deleted'],
    ]);
    expect(res.results.map((r) => r.path)).to.not.include('someone-else.json');
    await expectMissing(join(profileDir, 'app/web.json'));
    expect(await readFile(join(profileDir, 'someone-else.json'), 'utf8')).to.equal(PROFILE);
    const listed = await client.listProfiles();
    expect(listed.profiles.find((p) => p.path === 'someone-else.json')?.managed).to.equal(false);
  });

  it('refuses traversal, absolute paths and invalid profiles, naming the path, and writes nothing', async () => {
    const sync = (path: string, text = PROFILE) => client.syncProfiles({ files: [{ path, content: enc(text) }], unchanged: [], prune: false, dryRun: false });
    await expectAgentError(sync('../escape.json'), 'invalid-argument', /\.\.\/escape\.json/);
    await expectAgentError(sync('/etc/evil.json'), 'invalid-argument', /\/etc\/evil\.json/);
    await expectAgentError(sync('bad.json', '{"defaultAction":"SCMP_ACT_NOPE"}'), 'invalid-argument', /bad\.json.*\/defaultAction/);
    await expectMissing(join(root, 'var/lib/kubelet/escape.json'));
    await expectMissing(join(profileDir, 'bad.json'));
  });

  it('refuses an oversize profile', async () => {
    const huge = JSON.stringify({
      defaultAction: 'SCMP_ACT_ERRNO',
      syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW', comment: 'x'.repeat(300 * 1024) }],
    });
    await expectAgentError(
      client.syncProfiles({ files: [{ path: 'huge.json', content: enc(huge) }], unchanged: [], prune: false, dryRun: false }),
      'invalid-argument',
      /huge\.json/,
    );
  });

  it('never writes through a symlink that leaves the profile dir', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'agent-outside-'));
    try {
      await symlink(outside, join(profileDir, 'linked'));
      const res = await client.syncProfiles({ files: [{ path: 'linked/x.json', content: enc(PROFILE) }], unchanged: [], prune: false, dryRun: false }).then(
        (r) => r.results[0]?.outcome,
        (err: AgentError) => err.code,
      );
      expect(res).to.be.oneOf(['error', 'invalid-argument']);
      await expectMissing(join(outside, 'x.json'));
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('streams violations appended to audit.log, and a client that stops reading loses the oldest, counted', async () => {
    const abort = new AbortController();
    const stream = client
      .watchViolations(
        { filter: { namespaces: [], pods: [], containers: [], syscalls: [], actions: [] }, sinceUnixMs: 0, statsIntervalMs: 200, maxQueue: 16 },
        { signal: abort.signal },
      )
      [Symbol.asyncIterator]();
    // The first stats event says the stream is live; records written before it may not be seen.
    await nextOf(stream, (e) => e.kind === 'stats');
    await appendFile(auditLog, auditLine(100, 83, 'first'));
    const first = await nextOf(stream, (e) => e.kind === 'violation');
    expect(first.kind === 'violation' && first.violation).to.include({
      syscall: 'mkdir',
      comm: 'first',
      action: 'SCMP_ACT_LOG',
      auditId: '1795369472.866:100',
      source: 'auditlog',
    });

    // Stop reading while thousands of records arrive: the agent's queue for us stays at 16.
    const rssBefore = await agent.rss();
    let burst = '';
    for (let i = 0; i < 20000; i++) burst += auditLine(1000 + i, 2, 'burst');
    await appendFile(auditLog, burst);
    const stats = await nextOf(stream, (e) => e.kind === 'stats' && e.stats.dropped > 0, 30000);
    expect(stats.kind === 'stats' && stats.stats.dropped).to.be.greaterThan(0);
    expect(await agent.rss()).to.be.below(rssBefore + 64 * 1024 * 1024);
    abort.abort();
  });

  it('ends streams and exits 0 on SIGTERM', async () => {
    const abort = new AbortController();
    const events = client.watchViolations(
      { filter: { namespaces: [], pods: [], containers: [], syscalls: [], actions: [] }, sinceUnixMs: 0, statsIntervalMs: 200, maxQueue: 0 },
      { signal: abort.signal },
    );
    const ended = (async () => {
      try {
        for await (const _ of events) void _;
        return 'ended';
      } catch (err) {
        return (err as AgentError).code;
      }
    })();
    expect(await agent.stop()).to.equal(0);
    expect(await ended).to.be.oneOf(['ended', 'unavailable']);
  });
});

async function nextOf(it: AsyncIterator<WatchEvent>, match: (e: WatchEvent) => boolean, timeoutMs = 15000): Promise<WatchEvent> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const r = await it.next();
    if (r.done) throw new Error('stream ended');
    if (match(r.value)) return r.value;
  }
  throw new Error(`no matching event within ${timeoutMs} ms`);
}

async function expectMissing(path: string): Promise<void> {
  try {
    await stat(path);
  } catch (err) {
    expect((err as NodeJS.ErrnoException).code).to.equal('ENOENT');
    return;
  }
  expect.fail(`${path} should not exist`);
}
