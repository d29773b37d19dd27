import { expect } from 'chai';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createAgentClient, type AgentClient } from './client.js';
import { AgentError } from './errors.js';
import { doctorResponse } from './testing/fixtures.js';
import { serveAgent, type RunningServer } from './server.js';
import { tempPki } from './testing/pki.js';
import type { AgentApi } from './types.js';

describe('gRPC transport with mTLS', function () {
  let dir = '';
  let server: RunningServer | undefined;
  let client: AgentClient | undefined;
  const impl: AgentApi = {
    doctor: async () => doctorResponse,
    listProfiles: () => Promise.reject(new Error('unused')),
    syncProfiles: () => Promise.reject(new Error('unused')),
    watchViolations: () => {
      throw new Error('unused');
    },
    version: () => Promise.reject(new Error('unused')),
  };
  const file = (name: string): string => join(dir, name);

  before(async function () {
    dir = await tempPki('proto-tls-', () => this.skip());
    server = await serveAgent(impl, '127.0.0.1:0', { tls: { ca: file('ca.pem'), cert: file('server.pem'), key: file('server.key') } });
  });

  afterEach(() => {
    client?.close();
    client = undefined;
  });

  after(async () => {
    await server?.stop(100);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers a client with a certificate from the CA, checking the server name', async () => {
    client = createAgentClient(server!.address, {
      tls: { ca: file('ca.pem'), cert: file('client.pem'), key: file('client.key'), serverName: 'agent.test' },
    });
    expect(await client.doctor()).to.deep.equal(doctorResponse);
  });

  it('refuses a client without a certificate', async () => {
    client = createAgentClient(server!.address, { tls: { ca: file('ca.pem'), serverName: 'agent.test' } });
    const err = await client.doctor().then(
      () => expect.fail('expected the call to fail'),
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(AgentError);
    expect((err as AgentError).code).to.equal('unavailable');
  });

  it('refuses a server whose certificate does not name the dialled host', async () => {
    client = createAgentClient(server!.address, { tls: { ca: file('ca.pem'), cert: file('client.pem'), key: file('client.key') } });
    const err = await client.doctor().then(
      () => expect.fail('expected the call to fail'),
      (e: unknown) => e,
    );
    expect((err as AgentError).code).to.equal('unavailable');
  });

  it('names a missing PEM file', () => {
    expect(() => createAgentClient(server!.address, { tls: { ca: file('nope.pem') } })).to.throw(AgentError, /ca file .*nope\.pem/);
  });
});
