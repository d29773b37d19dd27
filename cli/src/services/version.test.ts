import { expect } from 'chai';
import type { VersionResponse } from '@kubectl-seccomp/proto';
import type { NodeOutcome } from './fanout.js';
import { clientVersion, versionExitCode, versionReport } from './version.js';

const client = clientVersion('0.1.0');
const answered = (node: string): NodeOutcome<VersionResponse> => ({
  node,
  via: 'direct',
  endpoint: `${node}:1`,
  ok: true,
  value: { nodeName: node, agentVersion: '0.1.0', nodejsVersion: '24.22.3', platform: 'linux-arm64' },
});

describe('version report', () => {
  it('gives the CLI the Node.js release it runs on', () => {
    expect(client).to.deep.equal({ version: '0.1.0', nodejsVersion: process.versions.node, platform: `${process.platform}-${process.arch}` });
  });

  it("keeps each agent's answer and exits 0 when every agent answered", () => {
    const out = versionReport(client, [answered('a'), answered('b')], []);
    expect(out.agents.map((a) => [a.node, a.status, a.agent?.nodejsVersion])).to.deep.equal([
      ['a', 'ok', '24.22.3'],
      ['b', 'ok', '24.22.3'],
    ]);
    expect(versionExitCode(out)).to.equal(0);
  });

  it('says an agent older than the call should be upgraded, names nodes without an agent, and exits 2', () => {
    const old: NodeOutcome<VersionResponse> = {
      node: 'old',
      via: 'direct',
      endpoint: 'old:1',
      ok: false,
      failure: { kind: 'agent-error', code: 'unimplemented', message: 'Method not found' },
    };
    const out = versionReport(client, [answered('a'), old], [{ node: 'c', reason: 'no agent pod on this node' }]);
    expect(out.agents[1]).to.include({ node: 'old', status: 'error' });
    expect(out.agents[1]!.error).to.include({ code: 'unimplemented' });
    expect(out.agents[1]!.error!.message).to.contain('upgrade');
    expect(out.agents[2]).to.include({ node: 'c', status: 'no-agent' });
    expect(versionExitCode(out)).to.equal(2);
  });
});
