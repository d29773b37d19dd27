import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TlsFiles } from '@kubectl-seccomp/proto';

/** The agent package's host fixtures: healthy passes every check, broken fails some. */
export type HostFixture = 'healthy' | 'broken';

export const hostFixture = (name: HostFixture): string => fileURLToPath(new URL(`../../../agent/fixtures/hosts/${name}`, import.meta.url));

export interface TestHost {
  /** A private copy of the fixture host: the agent may write profiles into it. */
  root: string;
  /** Where the agent writes profiles: the fixture kubelet's <root-dir>/seccomp inside root. */
  seccompDir: string;
  remove(): Promise<void>;
}

export async function copyHost(name: HostFixture): Promise<TestHost> {
  const root = await mkdtemp(join(tmpdir(), `cli-host-${name}-`));
  await cp(hostFixture(name), root, { recursive: true, verbatimSymlinks: true });
  return { root, seccompDir: join(root, 'var/lib/kubelet/seccomp'), remove: () => rm(root, { recursive: true, force: true }) };
}

export interface TestAgent {
  /** "127.0.0.1:PORT" */
  address: string;
  stop(): Promise<void>;
}

/** The real agent code over a host root, served over real gRPC on loopback (with TLS when given). */
export async function startAgent(host: TestHost, nodeName: string, opts: { tls?: TlsFiles } = {}): Promise<TestAgent> {
  const [{ serveAgent }, { createLocalAgent }] = await Promise.all([import('@kubectl-seccomp/proto'), import('@kubectl-seccomp/agent')]);
  const agent = await createLocalAgent({ hostRoot: host.root, nodeName });
  try {
    const server = await serveAgent(agent, '127.0.0.1:0', opts);
    return {
      address: `127.0.0.1:${server.port}`,
      stop: async () => {
        await server.stop(0);
        await agent.close();
      },
    };
  } catch (err) {
    await agent.close();
    throw err;
  }
}

/** A loopback address nothing listens on: bound once, then released. */
export async function deadAddress(): Promise<string> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `127.0.0.1:${port}`;
}
