import { expect } from 'chai';
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentError, createAgentClient, MAX_REQUEST_BYTES, type AgentClient, type WatchEvent, type WatchViolationsRequest } from '@kubectl-seccomp/proto';
import { killStrayAgents, startAgentProcess, type AgentProcess } from '../harness/agent-process.js';

const HEALTHY = fileURLToPath(new URL('../../../agent/fixtures/hosts/healthy', import.meta.url));
/** The DaemonSet's memory limit (manifests/base/daemonset.yaml). */
const POD_LIMIT_BYTES = 256 * 1024 * 1024;

const auditLine = (serial: number): string =>
  `type=SECCOMP msg=audit(1795369472.866:${serial}): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=999999 comm="mkdir" exe="/bin/busybox" sig=0 arch=c000003e syscall=83 compat=0 ip=0x47b567 code=0x7ffc0000\n`;

const watchRequest = (over: Partial<WatchViolationsRequest> = {}): WatchViolationsRequest => ({
  filter: { namespaces: [], pods: [], containers: [], syscalls: [], actions: [] },
  sinceUnixMs: 0,
  statsIntervalMs: 0,
  maxQueue: 0,
  ...over,
});

/** Opens a watch and settles once the agent has answered it: its first event, or its refusal. */
async function openWatch(client: AgentClient, req: WatchViolationsRequest, signal: AbortSignal): Promise<'open' | string> {
  const events = client.watchViolations(req, { signal })[Symbol.asyncIterator]();
  try {
    const first = await events.next();
    if (first.done) return 'ended';
    // Keep reading nothing more: a reader that never reads is the worst case for queues.
    return 'open';
  } catch (err) {
    return err instanceof AgentError ? err.code : String(err);
  }
}

const peakRss = async (pid: number): Promise<number> => Number(/^VmHWM:\s+(\d+) kB/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;

describe('the agent under a hostile client', function () {
  this.timeout(300_000);
  let root: string;
  let auditLog: string;
  let agent: AgentProcess;
  const clients: AgentClient[] = [];
  const streams = new AbortController();

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'agent-hostile-'));
    await cp(HEALTHY, root, { recursive: true, verbatimSymlinks: true });
    auditLog = join(root, 'var/log/audit/audit.log');
    await mkdir(join(root, 'var/log/audit'), { recursive: true });
    await writeFile(auditLog, '');
    // The pod's V8 settings (manifests/base/daemonset.yaml), so an OOM shows as it would in the pod.
    agent = await startAgentProcess(['--host-root', root, '--node-name', 'node-1', '--kube', 'off', '--sources', 'auditlog'], {
      env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=160 --max-semi-space-size=4' },
    });
  });

  after(async () => {
    streams.abort();
    for (const c of clients) c.close();
    await killStrayAgents();
    await rm(root, { recursive: true, force: true });
  });

  it('refuses what is over budget with resource-exhausted, stays up, and stays under the pod limit', async () => {
    // 500 watch streams asking for the largest queue, 10 per connection, none reading.
    const outcomes: string[] = [];
    for (let c = 0; c < 50; c++) {
      const client = createAgentClient(agent.address);
      clients.push(client);
      const opened = await Promise.all(Array.from({ length: 10 }, () => openWatch(client, watchRequest({ maxQueue: 0x7fffffff }), streams.signal)));
      outcomes.push(...opened);
    }
    const open = outcomes.filter((o) => o === 'open').length;
    expect(open).to.be.greaterThan(0);
    expect(outcomes.filter((o) => o !== 'open')).to.deep.equal(Array(500 - open).fill('resource-exhausted'));

    // Records for the open streams to queue and never deliver.
    for (let serial = 1; serial <= 200_000; serial += 10_000) {
      await appendFile(auditLog, Array.from({ length: 10_000 }, (_, i) => auditLine(serial + i)).join(''));
    }

    // Huge filters: refused before they are decoded.
    const huge = Array.from({ length: 1_400_000 }, (_, i) => `ns${i}`);
    const filterClient = createAgentClient(agent.address);
    clients.push(filterClient);
    const filtered = await Promise.all(
      Array.from({ length: 3 }, () =>
        openWatch(filterClient, watchRequest({ filter: { namespaces: huge, pods: [], containers: [], syscalls: [], actions: [] } }), streams.signal),
      ),
    );
    expect(filtered).to.deep.equal(['resource-exhausted', 'resource-exhausted', 'resource-exhausted']);

    // 16 concurrent syncs just over the store's request budget, each on its own connection.
    const big = new Uint8Array(MAX_REQUEST_BYTES.sync - 1024).fill(0x20);
    const syncs = await Promise.allSettled(
      Array.from({ length: 16 }, () => {
        const client = createAgentClient(agent.address);
        clients.push(client);
        return client.syncProfiles({ files: [{ path: 'kubectl-seccomp/big.json', content: big }], unchanged: [], prune: false, dryRun: false });
      }),
    );
    for (const s of syncs) {
      expect(s.status).to.equal('rejected');
      expect((s as PromiseRejectedResult).reason).to.be.instanceOf(AgentError);
      expect(['invalid-argument', 'resource-exhausted']).to.include(((s as PromiseRejectedResult).reason as AgentError).code);
    }

    const fresh = createAgentClient(agent.address);
    clients.push(fresh);
    expect((await fresh.doctor()).node.nodeName).to.equal('node-1');
    const peak = await peakRss(agent.pid);
    console.log(`      agent peak RSS under the hostile load: ${(peak / 1024 / 1024).toFixed(0)} MiB`);
    expect(peak).to.be.lessThan(POD_LIMIT_BYTES);
  });

  it('a watcher that reads still gets events after the load', async () => {
    const client = createAgentClient(agent.address);
    clients.push(client);
    const ac = new AbortController();
    const seen: WatchEvent[] = [];
    const reading = (async () => {
      for await (const e of client.watchViolations(watchRequest({ statsIntervalMs: 100 }), { signal: ac.signal })) {
        seen.push(e);
        if (e.kind === 'violation') break;
      }
    })();
    // Stream slots were freed: the first streams are closed now.
    streams.abort();
    await new Promise((r) => setTimeout(r, 200));
    await appendFile(auditLog, auditLine(900_001));
    await reading.catch(async (err: unknown) => {
      // All slots were taken while this watch was opened: open it again now they are free.
      expect((err as AgentError).code).to.equal('resource-exhausted');
      for await (const e of client.watchViolations(watchRequest(), { signal: ac.signal })) {
        seen.push(e);
        if (e.kind === 'stats') await appendFile(auditLog, auditLine(900_002));
        if (e.kind === 'violation') break;
      }
    });
    ac.abort();
    expect(seen.some((e) => e.kind === 'violation')).to.equal(true);
  });
});
