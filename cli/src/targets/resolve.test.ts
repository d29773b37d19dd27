import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseAgentSpec, parseAgentSpecs, parseAgentsList } from './agent-spec.js';
import { readAgentsFile } from './agents-file.js';
import { resolveTargets } from './resolve.js';
import type { TargetFlags } from './types.js';

const flags = (over: Partial<TargetFlags>): TargetFlags => ({ agent: [], local: false, node: [], agentNamespace: 'kubectl-seccomp', timeoutMs: 1000, ...over });
const opts = { log: () => {} };

describe('--agent values', () => {
  it('take HOST:PORT (named after the address until the agent says its name) or NODE=HOST:PORT, IPv6 in brackets', () => {
    expect(parseAgentSpec('10.0.0.5:9443')).to.deep.equal({ node: '10.0.0.5:9443', address: '10.0.0.5:9443', named: false });
    expect(parseAgentSpec('worker-1=agent.local:50051')).to.deep.equal({ node: 'worker-1', address: 'agent.local:50051', named: true });
    expect(parseAgentSpec('w=[::1]:50051')).to.deep.equal({ node: 'w', address: '[::1]:50051', named: true });
  });

  it('reject a missing port, a bad port, an empty name and a node given twice', () => {
    expect(() => parseAgentSpec('10.0.0.5')).to.throw('--agent "10.0.0.5": expected HOST:PORT');
    expect(() => parseAgentSpec('h:70000')).to.throw(/port 1-65535/);
    expect(() => parseAgentSpec('=h:1')).to.throw(/node name before "=" is empty/);
    expect(() => parseAgentSpecs(['a=h:1', 'a=h:2'])).to.throw(/node "a" is given more than once/);
  });
});

describe('--agents-file', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'agents-file-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('takes one --agent value per line, skipping blank lines and # comments', () => {
    const text = '# fleet\nworker-1=10.0.0.1:50051\n\n  10.0.0.2:50051  \r\nw3=[::1]:1\n';
    expect(parseAgentsList(text, 'f')).to.deep.equal([
      { node: 'worker-1', address: '10.0.0.1:50051', named: true },
      { node: '10.0.0.2:50051', address: '10.0.0.2:50051', named: false },
      { node: 'w3', address: '[::1]:1', named: true },
    ]);
  });

  it('names the file and line of a bad entry', () => {
    expect(() => parseAgentsList('a=h:1\n\nb=h\n', 'fleet.txt')).to.throw('fleet.txt:3: "b=h": expected HOST:PORT or NODE=HOST:PORT');
  });

  it('reads a file, or stdin for "-", and refuses one that lists no agent', async () => {
    await writeFile(join(dir, 'fleet'), 'a=127.0.0.1:1\n');
    expect(await readAgentsFile(join(dir, 'fleet'))).to.deep.equal([{ node: 'a', address: '127.0.0.1:1', named: true }]);
    expect(await readAgentsFile('-', Readable.from(['b=127.0.0.1:2\n', 'c=127.0.0.1:3\n']))).to.deep.equal([
      { node: 'b', address: '127.0.0.1:2', named: true },
      { node: 'c', address: '127.0.0.1:3', named: true },
    ]);
    await writeFile(join(dir, 'empty'), '# nothing yet\n');
    await readAgentsFile(join(dir, 'empty')).then(
      () => expect.fail('accepted an empty list'),
      (err: Error) => expect(err.message).to.equal(`--agents-file ${join(dir, 'empty')}: lists no agent`),
    );
    await readAgentsFile(join(dir, 'missing')).then(
      () => expect.fail('accepted a missing file'),
      (err: Error) => expect(err.message).to.contain(`--agents-file ${join(dir, 'missing')}: ENOENT`),
    );
  });

  it('adds to the --agent values; a node given in both is refused; --node picks among all of them', async () => {
    await writeFile(join(dir, 'fleet'), 'b=127.0.0.1:2\nc=127.0.0.1:3\n');
    const set = await resolveTargets(flags({ agent: ['a=127.0.0.1:1'], agentsFile: join(dir, 'fleet') }), opts);
    expect(set.targets.map((t) => [t.node, t.via, t.endpoint])).to.deep.equal([
      ['a', 'direct', '127.0.0.1:1'],
      ['b', 'direct', '127.0.0.1:2'],
      ['c', 'direct', '127.0.0.1:3'],
    ]);
    const some = await resolveTargets(flags({ agentsFile: join(dir, 'fleet'), node: ['c'] }), opts);
    expect(some.targets.map((t) => t.node)).to.deep.equal(['c']);
    await resolveTargets(flags({ agent: ['b=127.0.0.1:9'], agentsFile: join(dir, 'fleet') }), opts).then(
      () => expect.fail('accepted node b twice'),
      (err: Error) => expect(err.message).to.equal('--agent: node "b" is given more than once'),
    );
    await resolveTargets(flags({ local: true, agentsFile: join(dir, 'fleet') }), opts).then(
      () => expect.fail('accepted --local with --agents-file'),
      (err: Error) => expect(err.message).to.equal('--local and --agents-file cannot be used together'),
    );
  });
});

describe('resolveTargets', () => {
  it('dials every --agent directly; --node keeps the named ones and reports the others as missing', async () => {
    const set = await resolveTargets(flags({ agent: ['a=127.0.0.1:1', 'b=127.0.0.1:2'], node: ['b', 'c'] }), opts);
    expect(set.targets.map((t) => [t.node, t.via, t.endpoint])).to.deep.equal([['b', 'direct', '127.0.0.1:2']]);
    expect(set.missing.map((m) => m.node)).to.deep.equal(['c']);
  });

  it('refuses modes that contradict each other', async () => {
    await resolveTargets(flags({ local: true, agent: ['h:1'] }), opts).then(
      () => expect.fail('accepted --local with --agent'),
      (err: Error) => expect(err.message).to.equal('--local and --agent cannot be used together'),
    );
    await resolveTargets(flags({ agent: ['h:1'], selector: 'a=b' }), opts).then(
      () => expect.fail('accepted --node-selector with --agent'),
      (err: Error) => expect(err.message).to.equal('--agent and --node-selector cannot be used together'),
    );
  });

  it('--local is this machine, in-process', async () => {
    const set = await resolveTargets(flags({ local: true }), opts);
    expect(set.targets.map((t) => [t.via, t.endpoint])).to.deep.equal([['local', 'local']]);
  });
});
