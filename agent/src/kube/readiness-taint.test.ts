import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { READINESS_TAINT_KEY } from '@kubectl-seccomp/proto';
import { KubeConfig, type V1Taint } from '@kubernetes/client-node';
import { expect } from 'chai';
import { pino, type Logger } from 'pino';
import { ReadinessGate, taintRemovalPatch } from './readiness-taint.js';

const ours: V1Taint = { key: READINESS_TAINT_KEY, effect: 'NoSchedule' };
const notReady: V1Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: new Date('2026-01-01T00:00:00Z') };
const dedicated: V1Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

describe('taintRemovalPatch', function () {
  it('is nothing to do without taints, or without the readiness taint', function () {
    expect(taintRemovalPatch(undefined)).to.equal(undefined);
    expect(taintRemovalPatch([])).to.equal(undefined);
    expect(taintRemovalPatch([notReady, dedicated])).to.equal(undefined);
  });

  it('removes only the readiness taint, at its index, after testing its key there', function () {
    expect(taintRemovalPatch([notReady, ours, dedicated])).to.deep.equal([
      { op: 'test', path: '/spec/taints/1/key', value: READINESS_TAINT_KEY },
      { op: 'remove', path: '/spec/taints/1' },
    ]);
  });

  it('removes every entry with the key, the highest index first so earlier indexes stay valid', function () {
    expect(taintRemovalPatch([ours, dedicated, { ...ours, effect: 'NoExecute' }])).to.deep.equal([
      { op: 'test', path: '/spec/taints/2/key', value: READINESS_TAINT_KEY },
      { op: 'remove', path: '/spec/taints/2' },
      { op: 'test', path: '/spec/taints/0/key', value: READINESS_TAINT_KEY },
      { op: 'remove', path: '/spec/taints/0' },
    ]);
  });

  it('does not match a key that only starts like ours', function () {
    expect(taintRemovalPatch([{ key: `${READINESS_TAINT_KEY}-extra`, effect: 'NoSchedule' }])).to.equal(undefined);
  });
});

describe('ReadinessGate against an API server', function () {
  let server: Server;
  let answers: ((req: { method: string; url: string; body: unknown }) => { code: number; body: unknown })[];
  let seen: { method: string; url: string; body: unknown; type?: string }[];
  let kubeConfig: KubeConfig;

  beforeEach(async function () {
    answers = [];
    seen = [];
    server = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString('utf8')));
      req.on('end', () => {
        const request = {
          method: req.method ?? '',
          url: req.url ?? '',
          body: text ? (JSON.parse(text) as unknown) : undefined,
          type: req.headers['content-type'],
        };
        seen.push(request);
        const answer = answers.shift()?.(request) ?? { code: 500, body: { message: 'unexpected request' } };
        res.writeHead(answer.code, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
  });

  afterEach(async function () {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const nodeWith = (taints: V1Taint[]) => () => ({ code: 200, body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: { taints } } });
  const status = (code: number, message: string) => () => ({ code, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, message } });
  const logged = (): { logger: Logger; lines: Record<string, unknown>[] } => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: 'info', formatters: { level: (label) => ({ level: label }) } },
      { write: (s: string) => lines.push(JSON.parse(s) as Record<string, unknown>) },
    );
    return { logger, lines };
  };

  it('reads the node again when the taints changed under its patch, and removes ours where it is now', async function () {
    answers.push(
      nodeWith([dedicated, ours]),
      status(422, 'the server rejected our request: test operation failed'),
      nodeWith([ours, notReady, dedicated]),
      nodeWith([]),
    );
    const { logger, lines } = logged();
    const gate = new ReadinessGate({ kubeConfig, nodeName: 'n1', log: logger });
    await gate.open();
    expect(seen.map((r) => `${r.method} ${r.url}`)).to.deep.equal([
      'GET /api/v1/nodes/n1',
      'PATCH /api/v1/nodes/n1',
      'GET /api/v1/nodes/n1',
      'PATCH /api/v1/nodes/n1',
    ]);
    expect(seen[1]).to.deep.include({ type: 'application/json-patch+json', body: taintRemovalPatch([dedicated, ours]) });
    expect(seen[3]?.body).to.deep.equal(taintRemovalPatch([ours, notReady, dedicated]));
    expect(gate.state().state).to.equal('removed');
    expect(lines.filter((l) => l.level === 'info' && l.msg === 'readiness taint removed: every recorded profile is on disk')).to.have.length(1);
    // Never again: the gate is open for good, whatever later reconciles do.
    await gate.open();
    expect(seen).to.have.length(4);
    await gate.stop();
  });

  it('has nothing to do on a node without the taint', async function () {
    answers.push(nodeWith([dedicated]));
    const gate = new ReadinessGate({ kubeConfig, nodeName: 'n1', log: logged().logger });
    await gate.open();
    expect(gate.state().state).to.equal('absent');
    expect(seen.map((r) => r.method)).to.deep.equal(['GET']);
    await gate.stop();
  });

  it('warns once on 403, tries again on the next call, and removes the taint once allowed', async function () {
    answers.push(nodeWith([ours]), status(403, 'nodes "n1" is forbidden'), nodeWith([ours]), status(403, 'nodes "n1" is forbidden'));
    const { logger, lines } = logged();
    const gate = new ReadinessGate({ kubeConfig, nodeName: 'n1', log: logger });
    await gate.open();
    await gate.open();
    expect(gate.state()).to.deep.equal({ state: 'forbidden', error: 'nodes "n1" is forbidden' });
    expect(lines.filter((l) => l.level === 'warn')).to.have.length(1);
    answers.push(nodeWith([ours]), nodeWith([]));
    await gate.open();
    expect(gate.state().state).to.equal('removed');
    await gate.stop();
  });
});
