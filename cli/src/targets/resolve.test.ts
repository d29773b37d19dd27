import { expect } from 'chai';
import { parseAgentSpec, parseAgentSpecs } from './agent-spec.js';
import { resolveTargets } from './resolve.js';
import type { TargetFlags } from './types.js';

const flags = (over: Partial<TargetFlags>): TargetFlags => ({ agent: [], local: false, node: [], agentNamespace: 'kubectl-seccomp', timeoutMs: 1000, ...over });
const opts = { log: () => {} };

describe('--agent values', () => {
  it('take HOST:PORT (named after the address) or NODE=HOST:PORT, IPv6 in brackets', () => {
    expect(parseAgentSpec('10.0.0.5:9443')).to.deep.equal({ node: '10.0.0.5:9443', address: '10.0.0.5:9443' });
    expect(parseAgentSpec('worker-1=agent.local:50051')).to.deep.equal({ node: 'worker-1', address: 'agent.local:50051' });
    expect(parseAgentSpec('w=[::1]:50051')).to.deep.equal({ node: 'w', address: '[::1]:50051' });
  });

  it('reject a missing port, a bad port, an empty name and a node given twice', () => {
    expect(() => parseAgentSpec('10.0.0.5')).to.throw('--agent "10.0.0.5": expected HOST:PORT');
    expect(() => parseAgentSpec('h:70000')).to.throw(/port 1-65535/);
    expect(() => parseAgentSpec('=h:1')).to.throw(/node name before "=" is empty/);
    expect(() => parseAgentSpecs(['a=h:1', 'a=h:2'])).to.throw(/node "a" is given more than once/);
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
      () => expect.fail('accepted --selector with --agent'),
      (err: Error) => expect(err.message).to.equal('--agent and --selector cannot be used together'),
    );
  });

  it('--local is this machine, in-process', async () => {
    const set = await resolveTargets(flags({ local: true }), opts);
    expect(set.targets.map((t) => [t.via, t.endpoint])).to.deep.equal([['local', 'local']]);
  });
});
