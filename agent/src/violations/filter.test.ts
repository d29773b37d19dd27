import { expect } from 'chai';
import { compileFilter, filterProblem } from './filter.js';
import { violationOf } from './testing/fakes.js';

const v = violationOf;
const none = { namespaces: [], pods: [], containers: [], syscalls: [], actions: [] };

describe('compileFilter: OR within a field, AND across fields', () => {
  it('lets everything through when empty', () => {
    expect(compileFilter(none)(v({}))).to.equal(true);
  });

  it('matches any of the values of one field', () => {
    const f = compileFilter({ ...none, syscalls: ['mount', 'mkdir'] });
    expect(f(v({}))).to.equal(true);
    expect(f(v({ syscall: 'ptrace' }))).to.equal(false);
  });

  it('requires every non-empty field to match', () => {
    const f = compileFilter({ ...none, namespaces: ['shop'], containers: ['sidecar'] });
    expect(f(v({}))).to.equal(false);
    expect(f(v({ container: 'sidecar' }))).to.equal(true);
    expect(f(v({ container: 'sidecar', namespace: 'other' }))).to.equal(false);
  });

  it('filters on pods and actions, SCMP_ACT_KILL meaning KILL_THREAD', () => {
    expect(compileFilter({ ...none, pods: ['cart'], actions: ['SCMP_ACT_LOG'] })(v({}))).to.equal(true);
    expect(compileFilter({ ...none, actions: ['SCMP_ACT_KILL'] })(v({ action: 'SCMP_ACT_KILL_THREAD' }))).to.equal(true);
    expect(compileFilter({ ...none, actions: ['SCMP_ACT_KILL_PROCESS'] })(v({}))).to.equal(false);
  });
});

describe('filterProblem', () => {
  it('refuses a filter too large to hold, and accepts a usual one', () => {
    expect(filterProblem({ ...none, syscalls: ['mkdir', 'mount'] })).to.equal(undefined);
    expect(filterProblem({ ...none, namespaces: Array.from({ length: 1_400_000 }, (_, i) => `ns${i}`) })).to.match(
      /^filter namespaces: 1400000 values; at most 256/,
    );
    expect(filterProblem({ ...none, pods: ['p'.repeat(10_000)] })).to.match(/longer than 253/);
  });
});
