import { expect } from 'chai';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempPki } from '@kubectl-seccomp/proto/testing/pki';
import { killStrayAgents, startAgentProcess } from '../harness/agent-process.js';

const HEALTHY = fileURLToPath(new URL('../../../agent/fixtures/hosts/healthy', import.meta.url));

describe('the agent with --tls-* flags', function () {
  this.timeout(60_000);
  let pki = '';
  let root = '';

  before(async function () {
    pki = await tempPki('agent-tls-ready-', () => this.skip());
    root = await mkdtemp(join(tmpdir(), 'agent-tls-ready-'));
    await cp(HEALTHY, root, { recursive: true, verbatimSymlinks: true });
  });

  after(async () => {
    await killStrayAgents();
    if (pki) await rm(pki, { recursive: true, force: true });
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('reports ready on /readyz, with and without a client CA', async () => {
    for (const mtls of [[], ['--tls-client-ca', join(pki, 'ca.pem')]]) {
      const agent = await startAgentProcess([
        '--host-root',
        root,
        '--kube',
        'off',
        '--sources',
        'auditlog',
        '--health-listen',
        '127.0.0.1:0',
        '--tls-cert',
        join(pki, 'server.pem'),
        '--tls-key',
        join(pki, 'server.key'),
        ...mtls,
      ]);
      try {
        const health = agent.logs.find((l) => l.msg === 'health listening')?.address as string;
        const res = await fetch(`http://${health}/readyz`);
        expect(res.status, `mTLS: ${mtls.length > 0}`).to.equal(200);
        expect(await res.text()).to.equal('SERVING\n');
      } finally {
        await agent.stop();
      }
    }
  });
});
