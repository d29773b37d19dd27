import { expect } from 'chai';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tempPki } from '@kubectl-seccomp/proto/testing/pki';
import type { DoctorOutput } from '../output/types.js';
import { copyHost, startAgent, type TestAgent, type TestHost } from '../testing/agents.js';
import { errorText, killStrayClis, runCli, runCliJson } from '../testing/run-cli.js';

describe('kubectl seccomp over mTLS to an agent dialled by IP address (real CLI)', function () {
  let dir = '';
  let host: TestHost | undefined;
  let agent: TestAgent | undefined;
  const file = (name: string): string => join(dir, name);

  before(async function () {
    // Dialled as 127.0.0.1: the server certificate names that address, as a node's would.
    dir = await tempPki('cli-tls-', () => this.skip(), 'IP:127.0.0.1');
    host = await copyHost('healthy');
    agent = await startAgent(host, 'node-tls', { tls: { ca: file('ca.pem'), cert: file('server.pem'), key: file('server.key') } });
  });
  afterEach(killStrayClis);
  after(async () => {
    await agent?.stop();
    await host?.remove();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('checks the node, verifying the certificate against the address, and prints no warning', async () => {
    const run = await runCliJson<DoctorOutput>([
      'doctor',
      '--agent',
      `node-tls=${agent!.address}`,
      '--tls-ca',
      file('ca.pem'),
      '--tls-cert',
      file('client.pem'),
      '--tls-key',
      file('client.key'),
    ]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.json.nodes[0]).to.include({ node: 'node-tls', status: 'ok' });
    // Node's DEP0123 (TLS server name set to an IP address) says nothing the user can act on.
    expect(run.stderr).to.equal('');
  });

  it('reports the node unreachable without a client certificate, and exits non-zero', async () => {
    const run = await runCli(['doctor', '--agent', `node-tls=${agent!.address}`, '--tls-ca', file('ca.pem'), '-o', 'json']);
    expect(run.code).to.not.equal(0);
    const out = JSON.parse(run.stdout) as DoctorOutput;
    expect(out.nodes[0]?.status, errorText(run)).to.not.equal('ok');
  });
});
