import { expect } from 'chai';
import { UserError } from '../../errors.js';
import { buildFilter, buildRequest, describeFilter, normalizeAction } from './filter.js';

describe('watch filters', () => {
  it('normalises action spellings to SCMP_ACT_* names', () => {
    expect(normalizeAction('log')).to.equal('SCMP_ACT_LOG');
    expect(normalizeAction('kill_process')).to.equal('SCMP_ACT_KILL_PROCESS');
    expect(normalizeAction('kill-process')).to.equal('SCMP_ACT_KILL_PROCESS');
    expect(normalizeAction('SCMP_ACT_ERRNO')).to.equal('SCMP_ACT_ERRNO');
    expect(normalizeAction(' scmp_act_trap ')).to.equal('SCMP_ACT_TRAP');
  });

  it('rejects an unknown action with an error naming the flag', () => {
    expect(() => normalizeAction('lgo')).to.throw(UserError, /--action "lgo"/);
  });

  it('maps flags to the agent filter, deduplicated, empty meaning any', () => {
    const f = buildFilter({ namespaces: ['shop', 'shop', 'ci'], pods: undefined, actions: ['log', 'SCMP_ACT_LOG', 'errno'], syscalls: ['mkdir'] });
    expect(f).to.deep.equal({ namespaces: ['shop', 'ci'], pods: [], containers: [], syscalls: ['mkdir'], actions: ['SCMP_ACT_LOG', 'SCMP_ACT_ERRNO'] });
    expect(describeFilter(f)).to.equal('namespace=shop,ci syscall=mkdir action=log,errno');
    expect(describeFilter(buildFilter({}))).to.equal('');
  });

  it('turns --since into an absolute time and asks for stats every second', () => {
    const filter = buildFilter({});
    expect(buildRequest(filter, 300_000, 1_000_000)).to.deep.equal({ filter, sinceUnixMs: 700_000, statsIntervalMs: 1000, maxQueue: 0 });
    expect(buildRequest(filter, undefined, 1_000_000).sinceUnixMs).to.equal(0);
  });
});
