import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AgentError } from '@kubectl-seccomp/proto';
import { resolveKubeTargets } from './targets.js';

describe('Kubernetes discovery against an API server that never answers', function () {
  this.timeout(20_000);
  let server: Server;
  let dir: string;
  const sockets = new Set<Socket>();

  before(async () => {
    // Accepts the TCP connection, reads, never writes a byte: the hang --timeout must end.
    server = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    dir = await mkdtemp(path.join(tmpdir(), 'silent-apiserver-'));
    const port = (server.address() as { port: number }).port;
    await writeFile(
      path.join(dir, 'kubeconfig'),
      `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`,
    );
  });

  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it('gives up after --timeout with an unavailable error', async () => {
    const flags = { agent: [], local: false, node: [], agentNamespace: 'kubectl-seccomp', timeoutMs: 500, kubeconfig: path.join(dir, 'kubeconfig') };
    let err: unknown;
    try {
      await resolveKubeTargets(flags, { log: () => undefined });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(AgentError);
    expect((err as AgentError).code).to.equal('unavailable');
    expect((err as AgentError).message).to.equal('cannot read nodes and agent pods from the API server: no answer within 500 ms (--timeout)');
  });
});
