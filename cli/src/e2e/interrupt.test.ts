import { expect } from 'chai';
import { createServer, type Server, type Socket } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyHost, startAgent } from '../testing/agents.js';
import { killStrayClis, startCli } from '../testing/run-cli.js';

const WEB = fileURLToPath(new URL('../../fixtures/profiles/good/web.json', import.meta.url));

describe('Ctrl-C', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  let connected: Promise<void>;

  beforeEach(async () => {
    // An "agent" that accepts the connection and never answers: only Ctrl-C (or the deadline) ends the call.
    let onConnect!: () => void;
    connected = new Promise((resolve) => (onConnect = resolve));
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      onConnect();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    killStrayClis();
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('aborts every node, closes the connections and exits 130', async () => {
    const { port } = server.address() as { port: number };
    const cli = startCli(['doctor', '--agent', `hung=127.0.0.1:${port}`, '--timeout', '10m']);
    await connected;
    cli.child.kill('SIGINT');
    const run = await cli.done;
    expect(run.code, run.stderr).to.equal(130);
    expect(run.stdout).to.equal('');
  });

  it('an interrupted push still reports which nodes were synced and which were not', async function () {
    this.timeout(30_000);
    const host = await copyHost('healthy');
    const agent = await startAgent(host, 'node-ok');
    try {
      const { port } = server.address() as { port: number };
      const cli = startCli(['push', WEB, '--agent', `node-ok=${agent.address}`, '--agent', `hung=127.0.0.1:${port}`, '--timeout', '10m', '--verbose']);
      await connected;
      // Wait (bounded by mocha's timeout) until the CLI has the healthy node's answer (--verbose says so).
      let stderr = '';
      await new Promise<void>((resolve) => {
        cli.child.stderr!.on('data', (d: Buffer | string) => {
          stderr += String(d);
          if (/node-ok \([^)]*\): ok/.test(stderr)) resolve();
        });
      });
      expect(existsSync(join(host.seccompDir, 'kubectl-seccomp/web.json'))).to.equal(true);
      cli.child.kill('SIGINT');
      const run = await cli.done;
      expect(run.code, run.stderr).to.equal(130);
      expect(run.stdout).to.match(/NODE node-ok[^\n]*\n[\s\S]*kubectl-seccomp\/web\.json\s+created/);
      expect(run.stdout).to.match(/NODE hung[^\n]*CANCELLED/i);
    } finally {
      await agent.stop();
      await host.remove();
    }
  });
});
