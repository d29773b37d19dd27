import { expect } from 'chai';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintProfile, parseProfile } from '@kubectl-seccomp/profiles';
import { serveAgent } from '@kubectl-seccomp/proto';
import type { RunningServer } from '@kubectl-seccomp/proto';
import { FakeAgent, statsEvent, until, violationEvent } from '../testing/fake-agent.js';
import { deadAddress } from '../testing/agents.js';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { writeFile } from 'node:fs/promises';
import type { ChildProcess } from 'node:child_process';
import { CLI_BIN, killStrayClis, runCli } from '../testing/run-cli.js';
import type { StatsRecord, ViolationRecord } from '../ui/watch/json-lines.js';

const AUDIT_BASE = fileURLToPath(new URL('../../fixtures/watch/audit-base.json', import.meta.url));

const lines = (stdout: string): ViolationRecord[] =>
  stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as ViolationRecord);

describe('kubectl seccomp watch (built CLI, agents on loopback)', function () {
  this.timeout(30_000);
  const servers: RunningServer[] = [];
  let a: FakeAgent;
  let b: FakeAgent;
  let agentFlags: string[];
  let tmp: string;

  beforeEach(async () => {
    a = new FakeAgent();
    b = new FakeAgent();
    const sa = await serveAgent(a, '127.0.0.1:0');
    servers.push(sa);
    const sb = await serveAgent(b, '127.0.0.1:0');
    servers.push(sb);
    agentFlags = ['--agent', `a=${sa.address}`, '--agent', `b=${sb.address}`];
    tmp = await mkdtemp(join(tmpdir(), 'cli-watch-'));
  });
  let child: ChildProcess | undefined;
  afterEach(async () => {
    killStrayClis();
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    child = undefined;
    await Promise.all(servers.splice(0).map((s) => s.stop(0)));
    await rm(tmp, { recursive: true, force: true });
  });

  it('prints one JSON line per violation from both nodes and sends the filters to the agents', async () => {
    const run = runCli([
      'watch',
      ...agentFlags,
      '-o',
      'json',
      '--duration',
      '3s',
      '-n',
      'shop',
      '--action',
      'log',
      '--action',
      'kill-process',
      '--syscall',
      'mkdir',
      '--since',
      '5m',
    ]);
    const [sa, sb] = [await a.stream(1), await b.stream(1)];
    sa.push(violationEvent({ auditId: '1.0:1', pod: 'cart-1' }), violationEvent({ auditId: '1.0:2', pod: 'cart-2' }));
    sb.push(violationEvent({ auditId: '1.0:1', action: 'SCMP_ACT_KILL_PROCESS' }));
    const r = await run;
    expect(r.code, r.stderr).to.equal(0);
    expect(sa.request.filter).to.deep.equal({
      namespaces: ['shop'],
      pods: [],
      containers: [],
      syscalls: ['mkdir'],
      actions: ['SCMP_ACT_LOG', 'SCMP_ACT_KILL_PROCESS'],
    });
    expect(sa.request.sinceUnixMs).to.be.within(Date.now() - 5 * 60_000 - 30_000, Date.now() - 5 * 60_000);
    const out = lines(r.stdout);
    expect(out.map((l) => `${l.node} ${l.pod} ${l.action}`).sort()).to.deep.equal([
      'a cart-1 SCMP_ACT_LOG',
      'a cart-2 SCMP_ACT_LOG',
      'b cart-1 SCMP_ACT_KILL_PROCESS',
    ]);
    expect(out[0]).to.include({ kind: 'violation', namespace: 'shop', syscall: 'mkdir', syscallNr: 83, arch: 'SCMP_ARCH_X86_64' });
  });

  it('writes stats lines only with --stats', async () => {
    const run = runCli(['watch', ...agentFlags, '--duration', '2s', '--stats']);
    (await a.stream(1)).push(statsEvent(4, 1, 2));
    await b.stream(1);
    const r = await run;
    expect(r.code, r.stderr).to.equal(0);
    const stats = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; node: string; seen: number });
    expect(stats.every((s) => s.kind === 'stats')).to.equal(true);
    expect(stats.find((s) => s.seen === 4)).to.deep.include({ kind: 'stats', node: 'a', seen: 4, dropped: 1, lost: 2 });
  });

  it('--exit-on-violation exits 1 at the first violation and names it', async () => {
    const run = runCli(['watch', ...agentFlags, '--duration', '25s', '--exit-on-violation']);
    await b.stream(1);
    (await a.stream(1)).push(violationEvent({ pod: 'ci-runner', container: 'build', syscall: 'unshare', syscallNr: 272 }));
    const r = await run;
    expect(r.code, r.stderr).to.equal(1);
    expect(lines(r.stdout)[0]).to.include({ node: 'a', pod: 'ci-runner', syscall: 'unshare' });
    expect(r.stderr).to.include('violation seen on a: shop/ci-runner container build (mkdir) unshare -> log');
  });

  it('--exit-on-violation exits 0 when the duration passes without one', async () => {
    const run = runCli(['watch', ...agentFlags, '--duration', '1s', '--exit-on-violation']);
    await Promise.all([a.stream(1), b.stream(1)]);
    const r = await run;
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('');
  });

  it('exits 2 and names a node whose agent cannot be reached, after streaming the others', async () => {
    const dead = await deadAddress();
    const run = runCli(['watch', agentFlags[0]!, agentFlags[1]!, '--agent', `gone=${dead}`, '--duration', '2s']);
    (await a.stream(1)).push(violationEvent());
    const r = await run;
    expect(r.code).to.equal(2);
    expect(lines(r.stdout)).to.have.length(1);
    expect(r.stderr).to.match(/node gone: never connected/);
  });

  it('--suggest with --base writes a profile that parses, lints clean and allows exactly the observed syscalls', async () => {
    const out = join(tmp, 'suggested.json');
    const run = runCli(['watch', ...agentFlags, '--duration', '3s', '--suggest', out, '--base', AUDIT_BASE]);
    (await a.stream(1)).push(
      violationEvent({ auditId: '1:1', syscall: 'mkdir' }),
      violationEvent({ auditId: '1:2', syscall: 'chmod', syscallNr: 90 }),
      violationEvent({ auditId: '1:3', syscall: 'mkdir' }),
      violationEvent({ auditId: '1:4', syscall: 'ptrace', syscallNr: 101, action: 'SCMP_ACT_ERRNO' }),
    );
    (await b.stream(1)).push(
      violationEvent({ auditId: '1:1', syscall: 'read', syscallNr: 0, container: 'sidecar' }),
      violationEvent({ auditId: '1:2', syscall: '', syscallNr: 999 }),
    );
    const r = await run;
    expect(r.code, r.stderr).to.equal(0);
    const text = await readFile(out, 'utf8');
    const parsed = parseProfile(text, out);
    if (!parsed.ok) throw new Error(`suggestion does not parse: ${JSON.stringify(parsed.errors)}`);
    expect(lintProfile(parsed.profile, { source: out }).filter((i) => i.severity === 'error')).to.deep.equal([]);
    const base = JSON.parse(await readFile(AUDIT_BASE, 'utf8')) as { syscalls: Array<{ names: string[] }> };
    const rules = parsed.profile.syscalls ?? [];
    expect(rules[0]).to.deep.equal(base.syscalls[0]);
    expect(rules.at(-1)).to.deep.equal({ names: ['chmod', 'mkdir', 'ptrace'], action: 'SCMP_ACT_ALLOW' });
    expect(rules.flatMap((r) => (r.action === 'SCMP_ACT_ERRNO' ? (r.names ?? []) : []))).to.deep.equal(['kexec_load']);
    expect(parsed.profile.defaultAction).to.equal('SCMP_ACT_ERRNO');
    expect(r.stderr).to.include('3 syscall(s) added (chmod, mkdir, ptrace)');
    expect(r.stderr).to.include('already allowed by the base: read');
    expect(r.stderr).to.include('not added (the agent could not name them): SCMP_ARCH_X86_64#999');
  });

  it('--suggest DIR/ writes one profile per container', async () => {
    const dir = join(tmp, 'out') + '/';
    const run = runCli(['watch', ...agentFlags, '--duration', '2s', '--suggest', dir]);
    (await a.stream(1)).push(
      violationEvent({ auditId: '1:1', syscall: 'mkdir' }),
      violationEvent({ auditId: '1:2', container: 'sidecar', syscall: 'chmod', syscallNr: 90 }),
    );
    await b.stream(1);
    const r = await run;
    expect(r.code, r.stderr).to.equal(0);
    expect((await readdir(dir)).sort()).to.deep.equal(['shop_cart-1_app.json', 'shop_cart-1_sidecar.json']);
    const sidecar = JSON.parse(await readFile(join(dir, 'shop_cart-1_sidecar.json'), 'utf8')) as { defaultAction: string; syscalls: unknown[] };
    expect(sidecar.defaultAction).to.equal('SCMP_ACT_ERRNO');
    expect(sidecar.syscalls.at(-1)).to.deep.equal({ names: ['chmod'], action: 'SCMP_ACT_ALLOW' });
  });

  it('--suggest DIR/ never writes a file for violations no pod was found for: it names them on stderr', async () => {
    const dir = join(tmp, 'out') + '/';
    const run = runCli(['watch', ...agentFlags, '--duration', '2s', '--suggest', dir]);
    const none = { namespace: '', pod: '', container: '', containerId: '', podUid: '' };
    (await a.stream(1)).push(
      violationEvent({ auditId: '1:1', syscall: 'mkdir' }),
      violationEvent({ ...none, auditId: '1:2', syscall: 'chmod', syscallNr: 90 }),
    );
    await b.stream(1);
    const r = await run;
    expect(r.code, r.stderr).to.equal(0);
    expect(await readdir(dir)).to.deep.equal(['shop_cart-1_app.json']);
    expect(r.stderr).to.include('not written: exited before it could be named: no pod to name a profile after; seen: chmod');
  });

  it('labels an agent given as HOST:PORT with the node name it reports, and says what was lost and why', async () => {
    const named = new FakeAgent(false, 'worker-7');
    const server = await serveAgent(named, '127.0.0.1:0');
    servers.push(server);
    const run = runCli(['watch', '--agent', server.address, '-o', 'json', '--stats', '--duration', '2s']);
    (await named.stream(1)).push(violationEvent({ auditId: '1:1' }), statsEvent(1, 0, 3, { losses: [{ reason: 'overwritten-while-down', count: 3 }] }));
    const r = await run;
    expect(r.code, r.stderr).to.equal(0);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; node: string });
    expect(new Set(out.map((l) => l.node))).to.deep.equal(new Set(['worker-7']));
    expect(out.filter((l) => l.kind === 'violation')).to.have.length(1);
    expect(r.stderr).to.include('node worker-7: 3 record(s) lost (3 overwritten-while-down)');
  });

  it('rejects an unknown --action before connecting', async () => {
    const r = await runCli(['watch', ...agentFlags, '--action', 'lgo']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('--action "lgo"');
    expect(a.streams).to.have.length(0);
  });

  it('Ctrl-C ends the watch, still writes --suggest, and exits 130', async () => {
    const out = join(tmp, 'after-ctrl-c.json');
    child = spawn(process.execPath, [CLI_BIN, 'watch', ...agentFlags, '--suggest', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child!.on('close', (code) => resolve(code)));
    await b.stream(1);
    const sa = await a.stream(1);
    sa.push(violationEvent({ syscall: 'mkdir' }));
    await new Promise<void>((resolve) => child!.stdout!.once('data', () => resolve()));
    child.kill('SIGINT');
    expect(await exited).to.equal(130);
    const written = JSON.parse(await readFile(out, 'utf8')) as { syscalls: unknown[] };
    expect(written.syscalls.at(-1)).to.deep.equal({ names: ['mkdir'], action: 'SCMP_ACT_ALLOW' });
    expect(stderr).to.include(`written to ${out}`);
  });

  it('checks --base and the --suggest directory before watching', async () => {
    const badBase = await runCli(['watch', ...agentFlags, '--suggest', join(tmp, 's.json'), '--base', join(tmp, 'missing.json')]);
    expect(badBase.code).to.equal(2);
    expect(badBase.stderr).to.include('missing.json');
    const badDir = await runCli(['watch', ...agentFlags, '--suggest', join(tmp, 'no/such/dir/s.json')]);
    expect(badDir.code).to.equal(2);
    expect(badDir.stderr).to.include('does not exist');
    expect(a.streams).to.have.length(0);
  });

  describe('-l selects pods by label (API server on loopback)', () => {
    let api: Server;
    let kubeconfig: string;
    /** The pods app=cart matches now; the API server evaluates selectors, so this one answers them. */
    const pods = [{ name: 'cart-1', uid: 'uid-cart-1' }];
    const asked: string[] = [];

    beforeEach(async () => {
      pods.splice(1);
      asked.splice(0);
      api = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://api');
        asked.push(`${url.pathname}?${url.searchParams.toString()}`);
        const only = url.searchParams.get('fieldSelector')?.replace('metadata.name=', '');
        const items = url.searchParams.get('labelSelector') === 'app=cart' ? pods.filter((p) => !only || p.name === only) : [];
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: {}, items: items.map((p) => ({ metadata: { namespace: 'shop', ...p } })) }));
      });
      await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
      const { port } = api.address() as { port: number };
      kubeconfig = join(tmp, 'kubeconfig');
      await writeFile(
        kubeconfig,
        `apiVersion: v1
kind: Config
clusters: [{ name: t, cluster: { server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: c, context: { cluster: t, user: u, namespace: shop } }]
current-context: c
`,
      );
    });
    afterEach(async () => {
      api.closeAllConnections();
      await new Promise((resolve) => api.close(resolve));
    });

    /** watch -n shop -l app=cart -o json and `extra`: its stdout so far, and its exit code. */
    const watchCart = (...extra: string[]): { stdout: () => string; exited: Promise<number | null> } => {
      child = spawn(process.execPath, [CLI_BIN, 'watch', ...agentFlags, '--kubeconfig', kubeconfig, '-n', 'shop', '-l', 'app=cart', '-o', 'json', ...extra], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
      });
      let out = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
      return { stdout: () => out, exited: new Promise<number | null>((resolve) => child!.on('close', (code) => resolve(code))) };
    };

    it('shows only the selected pods, a pod started after the list included, in order', async () => {
      const { stdout, exited } = watchCart();
      const [sa] = [await a.stream(1), await b.stream(1)];
      // The streams open after the first list: a pod that starts now is not in it.
      pods.push({ name: 'cart-2', uid: 'uid-cart-2' });
      sa.push(
        violationEvent({ auditId: '1.0:1', namespace: 'shop', pod: 'web-1', syscall: 'chmod' }),
        violationEvent({ auditId: '1.0:2', namespace: 'shop', pod: 'cart-1', syscall: 'mkdir' }),
        violationEvent({ auditId: '1.0:3', namespace: 'shop', pod: 'cart-2', syscall: 'unshare' }),
      );
      await until(() => stdout().split('\n').length > 2, 'two violations');
      child!.kill('SIGINT');
      expect(await exited).to.equal(130);
      // In order: had web-1 been let through, it would be first.
      const out = lines(stdout());
      expect(out.map((l) => `${l.pod} ${l.syscall}`)).to.deep.equal(['cart-1 mkdir', 'cart-2 unshare']);
      expect(out[0]).to.include({ kind: 'violation', namespace: 'shop', pod: 'cart-1', node: 'a' });
      expect(asked).to.deep.equal([
        '/api/v1/namespaces/shop/pods?labelSelector=app%3Dcart',
        '/api/v1/namespaces/shop/pods?fieldSelector=metadata.name%3Dweb-1&labelSelector=app%3Dcart',
        '/api/v1/namespaces/shop/pods?fieldSelector=metadata.name%3Dcart-2&labelSelector=app%3Dcart',
      ]);
    });

    it('--stats lines count, per node, the violations -l could not place (no pod name, no pod UID)', async () => {
      const { stdout, exited } = watchCart('--stats');
      const [sa] = [await a.stream(1), await b.stream(1)];
      sa.push(
        violationEvent({ auditId: '1.0:1', namespace: '', pod: '', podUid: '', container: '', containerId: '', syscall: 'chmod' }),
        violationEvent({ auditId: '1.0:2', namespace: '', pod: '', podUid: '', container: '', containerId: '', syscall: 'chown' }),
        violationEvent({ auditId: '1.0:3', namespace: 'shop', pod: 'cart-1', syscall: 'mkdir' }),
        statsEvent(3, 0, 0, { nodeName: 'a' }),
      );
      const records = (): (ViolationRecord | StatsRecord)[] => lines(stdout()) as (ViolationRecord | StatsRecord)[];
      const after = (): StatsRecord | undefined => records().find((l): l is StatsRecord => l.kind === 'stats' && l.seen === 3);
      await until(() => after() !== undefined, 'the stats line after the three violations');
      child!.kill('SIGINT');
      expect(await exited).to.equal(130);
      expect(records().flatMap((l) => (l.kind === 'violation' ? [l.pod] : []))).to.deep.equal(['cart-1']);
      expect(after()).to.include({ node: 'a', unplaced: 2 });
    });

    it('-l with --local is a usage error (exit 2, one line); a pod list that fails stops the watch before it starts', async () => {
      const local = await runCli(['watch', '--local', '-l', 'app=cart']);
      expect(local.code).to.equal(2);
      expect(local.stderr.split('\n')[0]).to.match(/^error: .*--selector.*--local|^error: .*--local.*--selector/);
      api.close();
      api.closeAllConnections();
      const dead = await runCli(['watch', ...agentFlags, '--kubeconfig', kubeconfig, '-l', 'app=cart', '-o', 'json']);
      expect(dead.code).to.equal(2);
      expect(dead.stderr).to.match(/^Error: cannot list the pods -l app=cart selects: /);
      expect(a.streams).to.have.length(0);
    });
  });
});
