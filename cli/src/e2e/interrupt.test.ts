import { expect } from 'chai';
import { createServer, type Server, type Socket } from 'node:net';
import { killStrayClis, startCli } from '../testing/run-cli.js';

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
});
