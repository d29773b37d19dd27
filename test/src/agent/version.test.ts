import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { AGENT_VERSION } from '@kubectl-seccomp/agent';
import { createAgentClient, type AgentClient } from '@kubectl-seccomp/proto';
import { AGENT_BIN, killStrayAgents, startAgentProcess } from '../harness/agent-process.js';

const run = promisify(execFile);
const PLATFORM = `${process.platform}-${process.arch}`;

describe('the seccomp-agent process: its version', function () {
  this.timeout(60000);
  let client: AgentClient | undefined;
  let root: string | undefined;

  after(async () => {
    client?.close();
    await killStrayAgents();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('--version prints the agent version and the Node.js it runs on, and starts nothing', async () => {
    const { stdout, stderr } = await run(process.execPath, [AGENT_BIN, '--version']);
    expect(stdout).to.equal(`seccomp-agent/${AGENT_VERSION} ${PLATFORM} node-v${process.versions.node}\n`);
    expect(stderr).to.equal('');
  });

  it('answers Version over gRPC with its node name and Node.js release', async () => {
    root = await mkdtemp(join(tmpdir(), 'agent-version-'));
    const agent = await startAgentProcess([
      '--host-root',
      root,
      '--profile-dir',
      join(root, 'seccomp'),
      '--node-name',
      'node-v',
      '--kube',
      'off',
      '--sources',
      'kmsg',
    ]);
    client = createAgentClient(agent.address);
    expect(await client.version()).to.deep.equal({ nodeName: 'node-v', agentVersion: AGENT_VERSION, nodejsVersion: process.versions.node, platform: PLATFORM });
    const listening = agent.logs.find((l) => l.msg === 'listening');
    expect(listening).to.include({ version: AGENT_VERSION, nodejs: process.versions.node });
    expect(await agent.stop()).to.equal(0);
  });
});
