import { expect } from 'chai';
import { Client, Metadata, Server, ServerCredentials, status, type ClientReadableStream } from '@grpc/grpc-js';
import { createAgentClient, type AgentClient } from './client.js';
import { AgentError } from './errors.js';
import * as fx from './testing/fixtures.js';
import { checkHealth, healthService } from './health.js';
import { serveAgent, type RunningServer } from './server.js';
import { agentService } from './service.js';
import type { AgentApi, CallOptions, WatchEvent, WatchViolationsRequest } from './types.js';

/** An AgentApi whose methods a test replaces; unset ones fail loudly. */
function fakeAgent(overrides: Partial<AgentApi>): AgentApi {
  const missing = (): never => {
    throw new Error('not part of this test');
  };
  return { doctor: missing, listProfiles: missing, syncProfiles: missing, watchViolations: missing, version: missing, ...overrides };
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function aborted(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise(() => undefined);
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

async function rejection(p: Promise<unknown>): Promise<AgentError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(AgentError);
    return err as AgentError;
  }
  expect.fail('expected the call to fail');
}

describe('gRPC transport over loopback', () => {
  let server: RunningServer | undefined;
  let client: AgentClient | undefined;

  async function start(impl: AgentApi): Promise<AgentClient> {
    server = await serveAgent(impl, '127.0.0.1:0');
    client = createAgentClient(server.address, { timeoutMs: 10_000 });
    return client;
  }

  afterEach(async () => {
    client?.close();
    client = undefined;
    await server?.stop(100);
    server = undefined;
  });

  it('binds an ephemeral port and reports it', async () => {
    await start(fakeAgent({}));
    expect(server!.port).to.be.greaterThan(0);
    expect(server!.address).to.equal(`127.0.0.1:${server!.port}`);
  });

  it('dials IPv6 literals and host names too (grpcTarget leaves names to DNS)', async () => {
    const impl = fakeAgent({ listProfiles: async () => fx.listProfilesResponse });
    for (const [listen, host] of [
      ['[::1]', '[::1]'],
      ['127.0.0.1', 'localhost'],
    ] as const) {
      const running = await serveAgent(impl, `${listen}:0`);
      const c = createAgentClient(`${host}:${running.port}`, { timeoutMs: 10_000, connectTimeoutMs: 5_000 });
      try {
        expect(await c.listProfiles()).to.deep.equal(fx.listProfilesResponse);
      } finally {
        c.close();
        await running.stop(100);
      }
    }
  });

  it('round-trips doctor with every field set', async () => {
    const c = await start(fakeAgent({ doctor: async () => fx.doctorResponse }));
    expect(await c.doctor()).to.deep.equal(fx.doctorResponse);
  });

  it('round-trips version', async () => {
    const c = await start(fakeAgent({ version: async () => fx.versionResponse }));
    expect(await c.version()).to.deep.equal(fx.versionResponse);
  });

  it('reports version as unimplemented by an agent older than the call', async () => {
    // What an older agent serves: the same service without Version.
    const { version: _version, ...older } = agentService;
    const old = new Server();
    const unused = (_call: unknown, done: (err: { code: number }) => void): void => done({ code: status.INTERNAL });
    old.addService(older, { doctor: unused, listProfiles: unused, syncProfiles: unused, watchViolations: () => undefined });
    const port = await new Promise<number>((resolve, reject) =>
      old.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    const c = createAgentClient(`127.0.0.1:${port}`, { timeoutMs: 10_000 });
    try {
      expect((await rejection(c.version())).code).to.equal('unimplemented');
    } finally {
      c.close();
      old.forceShutdown();
    }
  });

  it('round-trips listProfiles with 64-bit sizes as numbers', async () => {
    const c = await start(fakeAgent({ listProfiles: async () => fx.listProfilesResponse }));
    expect(await c.listProfiles()).to.deep.equal(fx.listProfilesResponse);
  });

  it('round-trips syncProfiles request and response', async () => {
    let seen: unknown;
    const c = await start(
      fakeAgent({
        syncProfiles: async (req) => {
          seen = req;
          return fx.syncProfilesResponse;
        },
      }),
    );
    expect(await c.syncProfiles(fx.syncProfilesRequest)).to.deep.equal(fx.syncProfilesResponse);
    expect(seen).to.deep.equal(fx.syncProfilesRequest);
  });

  it('fills every field with its default when the agent leaves them empty', async () => {
    const c = await start(fakeAgent({ listProfiles: async () => ({ node: { ...fx.node, architectures: [], nodeName: '' }, profiles: [] }) }));
    const res = await c.listProfiles();
    expect(res.node.nodeName).to.equal('');
    expect(res.node.architectures).to.deep.equal([]);
    expect(res.node.machine).to.equal('x86_64');
    expect(res.profiles).to.deep.equal([]);
  });

  it('round-trips the watch request and both event kinds', async () => {
    let seen: WatchViolationsRequest | undefined;
    const c = await start(
      fakeAgent({
        async *watchViolations(req) {
          seen = req;
          yield fx.violationEvent;
          yield fx.statsEvent;
        },
      }),
    );
    const got: WatchEvent[] = [];
    for await (const ev of c.watchViolations(fx.watchRequest)) got.push(ev);
    expect(got).to.deep.equal([fx.violationEvent, fx.statsEvent]);
    expect(seen).to.deep.equal(fx.watchRequest);
  });

  it("maps an agent's AgentError to the same code and message", async () => {
    const c = await start(
      fakeAgent({
        syncProfiles: () => Promise.reject(new AgentError('invalid-argument', 'files[0].path: ".." is not allowed')),
        listProfiles: () => Promise.reject(new AgentError('failed-precondition', 'profile dir is read-only')),
      }),
    );
    const err = await rejection(c.syncProfiles(fx.syncProfilesRequest));
    expect(err.code).to.equal('invalid-argument');
    expect(err.message).to.equal('files[0].path: ".." is not allowed');
    expect((await rejection(c.listProfiles())).code).to.equal('failed-precondition');
  });

  it('reports any other agent failure as internal, keeping its message', async () => {
    const c = await start(
      fakeAgent({
        doctor: () => {
          throw new Error('boom');
        },
      }),
    );
    const err = await rejection(c.doctor());
    expect(err.code).to.equal('internal');
    expect(err.message).to.equal('boom');
  });

  it('fails a unary call past its deadline and aborts the agent-side work', async () => {
    const agentAborted = deferred();
    const c = await start(
      fakeAgent({
        doctor: async (opts?: CallOptions) => {
          await aborted(opts?.signal);
          agentAborted.resolve();
          throw new AgentError('cancelled', 'gave up');
        },
      }),
    );
    const err = await rejection(c.doctor({ timeoutMs: 50 }));
    expect(err.code).to.equal('deadline-exceeded');
    await agentAborted.promise;
  });

  it('cancels a unary call when its signal aborts', async () => {
    const started = deferred();
    const c = await start(
      fakeAgent({
        doctor: async (opts?: CallOptions) => {
          started.resolve();
          await aborted(opts?.signal);
          throw new AgentError('cancelled', 'gave up');
        },
      }),
    );
    const ac = new AbortController();
    const call = c.doctor({ signal: ac.signal });
    await started.promise;
    ac.abort();
    expect((await rejection(call)).code).to.equal('cancelled');
  });

  it('reports an agent nobody listens for as unavailable', async () => {
    const probe = await serveAgent(fakeAgent({}), '127.0.0.1:0');
    const address = probe.address;
    await probe.stop(0);
    client = createAgentClient(address);
    expect((await rejection(client.doctor())).code).to.equal('unavailable');
  });

  it('gives up waiting for a connection after connectTimeoutMs', async () => {
    const probe = await serveAgent(fakeAgent({}), '127.0.0.1:0');
    const address = probe.address;
    await probe.stop(0);
    client = createAgentClient(address, { connectTimeoutMs: 100 });
    const err = await rejection(client.listProfiles());
    expect(err.code).to.equal('unavailable');
    expect(err.message).to.include(address);
  });

  it('an abort ends the wait for a connection at once, for calls and watches', async () => {
    const probe = await serveAgent(fakeAgent({}), '127.0.0.1:0');
    const address = probe.address;
    await probe.stop(0);
    // Far longer than the test may run: only the abort can end these waits.
    client = createAgentClient(address, { connectTimeoutMs: 3_600_000 });
    const ac = new AbortController();
    const call = rejection(client.doctor({ signal: ac.signal }));
    const events: unknown[] = [];
    const watch = (async () => {
      for await (const e of client!.watchViolations(
        { filter: { namespaces: [], pods: [], containers: [], syscalls: [], actions: [] }, sinceUnixMs: 0, statsIntervalMs: 0, maxQueue: 0 },
        { signal: ac.signal },
      )) {
        events.push(e);
      }
      return 'ended';
    })();
    ac.abort();
    expect((await call).code).to.equal('cancelled');
    expect(await watch).to.equal('ended');
    expect(events).to.deep.equal([]);
  });

  it('ends a watch cleanly when the client aborts, and the agent sees its signal abort', async () => {
    const agentAborted = deferred();
    const c = await start(
      fakeAgent({
        async *watchViolations(_req, opts) {
          yield fx.violationEvent;
          await aborted(opts?.signal);
          agentAborted.resolve();
        },
      }),
    );
    const ac = new AbortController();
    const got: WatchEvent[] = [];
    for await (const ev of c.watchViolations(fx.watchRequest, { signal: ac.signal })) {
      got.push(ev);
      ac.abort();
    }
    expect(got).to.have.length(1);
    await agentAborted.promise;
  });

  it('cancels the agent side when the consumer leaves the loop early', async () => {
    const agentAborted = deferred();
    const c = await start(
      fakeAgent({
        async *watchViolations(_req, opts) {
          yield fx.violationEvent;
          yield fx.statsEvent;
          await aborted(opts?.signal);
          agentAborted.resolve();
        },
      }),
    );
    for await (const ev of c.watchViolations(fx.watchRequest)) {
      expect(ev.kind).to.equal('violation');
      break;
    }
    await agentAborted.promise;
    // The client is still usable afterwards: the cancelled stream left nothing behind.
    const again = deferred();
    for await (const _ of c.watchViolations(fx.watchRequest)) {
      again.resolve();
      break;
    }
    await again.promise;
  });

  it('throws the AgentError when the agent fails a watch', async () => {
    const c = await start(
      fakeAgent({
        // eslint-disable-next-line require-yield
        async *watchViolations() {
          throw new AgentError('resource-exhausted', 'too many watchers');
        },
      }),
    );
    const err = await rejection(
      (async () => {
        for await (const _ of c.watchViolations(fx.watchRequest)) void _;
      })(),
    );
    expect(err.code).to.equal('resource-exhausted');
    expect(err.message).to.equal('too many watchers');
  });

  it('ends open watches as unavailable when the server stops', async () => {
    const first = deferred();
    const agentAborted = deferred();
    const c = await start(
      fakeAgent({
        async *watchViolations(_req, opts) {
          yield fx.statsEvent;
          await aborted(opts?.signal);
          agentAborted.resolve();
        },
      }),
    );
    const watching = rejection(
      (async () => {
        for await (const _ of c.watchViolations(fx.watchRequest)) first.resolve();
      })(),
    );
    await first.promise;
    const stopping = server!.stop(5_000);
    server = undefined;
    expect((await watching).code).to.equal('unavailable');
    await agentAborted.promise;
    await stopping;
  });

  it('stops pulling events from the agent while the client does not read', async () => {
    const CAP = 20_000;
    let pulls = 0;
    const exhausted = deferred();
    const padding = 'x'.repeat(1024);
    const c = await start(
      fakeAgent({
        async *watchViolations(_req, opts) {
          while (pulls < CAP) {
            pulls++;
            yield { kind: 'violation', violation: { ...fx.violation, exe: padding, pid: pulls } };
          }
          exhausted.resolve();
          await aborted(opts?.signal);
        },
      }),
    );
    const ac = new AbortController();
    const events = c.watchViolations(fx.watchRequest, { signal: ac.signal })[Symbol.asyncIterator]();
    const consumed = 10;
    for (let i = 0; i < consumed; i++) expect((await events.next()).done).to.equal(false);
    // The client now reads nothing; wait until the agent is held back (or has run dry).
    await Promise.race([exhausted.promise, settled(() => pulls)]);
    expect(pulls - consumed, 'events pulled beyond what the client read').to.be.lessThan(2_000);
    ac.abort();
    await events.return?.();
  });

  it('serves the health service', async () => {
    await start(fakeAgent({}));
    expect(await checkHealth(server!.address)).to.equal('SERVING');
    expect(await checkHealth(server!.address, { service: 'seccomp.agent.v1.Agent' })).to.equal('SERVING');
    expect(await checkHealth(server!.address, { service: 'no.such.Service' })).to.equal('UNKNOWN');
  });

  it('reports NOT_SERVING to health watchers while stopping', async () => {
    await start(fakeAgent({}));
    const health = new Client(server!.address, (await import('@grpc/grpc-js')).credentials.createInsecure());
    const w = healthService.Watch;
    const stream = health.makeServerStreamRequest(
      w.path,
      w.requestSerialize,
      w.responseDeserialize,
      { service: '' },
      new Metadata(),
      {},
    ) as ClientReadableStream<{ status: string }>;
    stream.on('error', () => undefined);
    const statuses: string[] = [];
    const notServing = deferred();
    const serving = deferred();
    stream.on('data', (msg: { status: string }) => {
      statuses.push(msg.status);
      if (msg.status === 'SERVING') serving.resolve();
      if (msg.status === 'NOT_SERVING') notServing.resolve();
    });
    try {
      await serving.promise;
      const stopping = server!.stop(5_000);
      server = undefined;
      await notServing.promise;
      stream.cancel();
      await stopping;
      expect(statuses).to.deep.equal(['SERVING', 'NOT_SERVING']);
    } finally {
      stream.cancel();
      health.close();
    }
  });
});

/** Resolves once read() has returned the same value across several event-loop turns spread over time. */
function settled(read: () => number): Promise<void> {
  return new Promise((resolve) => {
    let last = read();
    let same = 0;
    const timer = setInterval(() => {
      const now = read();
      same = now === last ? same + 1 : 0;
      last = now;
      if (same >= 10) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
  });
}
