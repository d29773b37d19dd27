import { expect } from 'chai';
import { join } from 'node:path';
import type { DoctorOutput } from '../output/types.js';
import { copyHost, deadAddress, startAgent, type TestAgent, type TestHost } from '../testing/agents.js';
import { killStrayClis, runCli, runCliJson } from '../testing/run-cli.js';

describe('kubectl seccomp doctor (real CLI, real agents on loopback)', () => {
  const hosts: TestHost[] = [];
  const agents: TestAgent[] = [];
  let healthy: TestAgent;
  let broken: TestAgent;

  before(async () => {
    hosts.push(await copyHost('healthy'), await copyHost('broken'));
    healthy = await startAgent(hosts[0]!, 'node-healthy');
    agents.push(healthy);
    broken = await startAgent(hosts[1]!, 'node-broken');
    agents.push(broken);
  });
  afterEach(killStrayClis);
  after(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await Promise.all(hosts.map((h) => h.remove()));
  });

  it('exits 0 and reports every check of a healthy node', async () => {
    const run = await runCliJson<DoctorOutput>(['doctor', '--agent', `node-healthy=${healthy.address}`]);
    expect(run.code, run.stderr).to.equal(0);
    const [node] = run.json.nodes;
    expect(node).to.include({ node: 'node-healthy', via: 'direct', endpoint: healthy.address, status: 'ok' });
    expect(node!.checks.length).to.be.greaterThan(0);
    expect(node!.checks.filter((c) => c.status === 'fail')).to.deep.equal([]);
    expect(node!.info?.nodeName).to.equal('node-healthy');
    expect(run.json.summary).to.include({ fail: 0, unreachable: 0 });
  });

  it('exits 1 and names the failing checks, with remedies, of a broken node', async () => {
    const run = await runCliJson<DoctorOutput>(['doctor', '--agent', `node-broken=${broken.address}`]);
    expect(run.code, run.stderr).to.equal(1);
    const failed = run.json.nodes[0]!.checks.filter((c) => c.status === 'fail');
    expect(failed.length).to.be.greaterThan(0);
    expect(failed.every((c) => c.remedy !== '')).to.equal(true);
    expect(run.json.summary.fail).to.equal(failed.length);
  });

  it('exits 2 and names an unreachable node while still reporting the others', async () => {
    const dead = await deadAddress();
    const run = await runCliJson<DoctorOutput>(['doctor', '--agent', `node-healthy=${healthy.address}`, '--agent', `node-gone=${dead}`, '--timeout', '20s']);
    expect(run.code, run.stderr).to.equal(2);
    const byName = new Map(run.json.nodes.map((n) => [n.node, n]));
    expect(byName.get('node-healthy')?.status).to.equal('ok');
    expect(byName.get('node-gone')).to.include({ status: 'unreachable', endpoint: dead });
    // A refused port is said as such, with the address, not waited on until a deadline.
    expect(byName.get('node-gone')?.error).to.include({ kind: 'unreachable', message: `connection refused: ${dead}` });
    expect(run.json.summary.unreachable).to.equal(1);
  });

  it('--strict fails on warnings; --node keeps only the named agents', async () => {
    const plain = await runCliJson<DoctorOutput>([
      'doctor',
      '--agent',
      `node-healthy=${healthy.address}`,
      '--agent',
      `node-broken=${broken.address}`,
      '--node',
      'node-healthy',
    ]);
    expect(plain.json.nodes.map((n) => n.node)).to.deep.equal(['node-healthy']);
    const strict = await runCli(['doctor', '--agent', `node-healthy=${healthy.address}`, '--strict']);
    expect(strict.code).to.equal(plain.json.summary.warn > 0 ? 1 : 0);
  });

  it('prints a table grouped by node with the why and the remedy under failing rows and a final count', async () => {
    const run = await runCli(['doctor', '--agent', `node-broken=${broken.address}`]);
    expect(run.code).to.equal(1);
    expect(run.stdout).to.match(/^NODE node-broken \(127\.0\.0\.1:\d+\)/);
    expect(run.stdout).to.match(/✗ .*\n\s+\S.*\n\s+→ /);
    expect(run.stdout).to.match(/1 node checked: \d+ passed, \d+ warnings?, [1-9]\d* failed, \d+ skipped\n?$/);
  });

  it('prints YAML with -o yaml', async () => {
    const { parse } = await import('yaml');
    const run = await runCli(['doctor', '--agent', `node-healthy=${healthy.address}`, '-o', 'yaml']);
    const doc = parse(run.stdout) as DoctorOutput;
    expect(doc.nodes[0]?.node).to.equal('node-healthy');
  });

  it('--local runs the agent code in-process against a host root', async () => {
    const run = await runCliJson<DoctorOutput>(['doctor', '--local', '--host-root', hosts[0]!.root]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.json.nodes).to.have.length(1);
    expect(run.json.nodes[0]).to.include({ via: 'local', status: 'ok' });
  });

  it('--host-root that is not a host root is a usage error (exit 2), not a kernel verdict', async () => {
    const run = await runCli(['doctor', '--local', '--host-root', join(hosts[0]!.root, 'etc')]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('does not look like a host').and.not.contain('seccomp filter support');
    expect(run.stdout).to.equal('');
  });
});
