import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { AGENT_VERSION } from '@kubectl-seccomp/agent';
import type { VersionOutput } from '../output/types.js';
import { copyHost, deadAddress, startAgent, type TestAgent, type TestHost } from '../testing/agents.js';
import { killStrayClis, runCli, runCliJson } from '../testing/run-cli.js';

const CLI_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const PLATFORM = `${process.platform}-${process.arch}`;

describe('kubectl seccomp version (real CLI, real agents on loopback)', () => {
  let host: TestHost;
  let agent: TestAgent;

  before(async () => {
    host = await copyHost('healthy');
    agent = await startAgent(host, 'node-a');
  });
  afterEach(killStrayClis);
  after(async () => {
    await agent?.stop();
    await host?.remove();
  });

  it("--client reports the CLI's version and the Node.js it runs on, asking no agent", async () => {
    const run = await runCliJson<VersionOutput>(['version', '--client']);
    expect(run.code, run.stderr).to.equal(0);
    // The CLI runs on the Node that runs the tests (process.execPath): the pinned one under scripts/test.sh.
    expect(run.json).to.deep.equal({ client: { version: CLI_VERSION, nodejsVersion: process.versions.node, platform: PLATFORM }, agents: [] });
  });

  it("reports each agent's version and Node.js, and exits 2 naming an agent it could not ask", async () => {
    const dead = await deadAddress();
    const run = await runCliJson<VersionOutput>(['version', '--agent', `node-a=${agent.address}`, '--agent', `node-gone=${dead}`, '--timeout', '20s']);
    expect(run.code, run.stderr).to.equal(2);
    const [a, gone] = run.json.agents;
    expect(a).to.include({ node: 'node-a', status: 'ok', endpoint: agent.address });
    expect(a!.agent).to.deep.equal({ nodeName: 'node-a', agentVersion: AGENT_VERSION, nodejsVersion: process.versions.node, platform: PLATFORM });
    expect(gone).to.include({ node: 'node-gone', status: 'unreachable' });
  });

  it('prints the CLI line, then a row per node', async () => {
    const run = await runCli(['version', '--agent', `node-a=${agent.address}`]);
    expect(run.code, run.stderr).to.equal(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).to.equal(`kubectl-seccomp ${CLI_VERSION} (Node.js ${process.versions.node}, ${PLATFORM})`);
    expect(lines[1]).to.match(/^NODE\s+AGENT\s+NODE\.JS\s+PLATFORM\s+ENDPOINT$/);
    expect(lines[2]).to.match(new RegExp(`^node-a\\s+${AGENT_VERSION}\\s+${process.versions.node}\\s+${PLATFORM}\\s+`));
  });
});
