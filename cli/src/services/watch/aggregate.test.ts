import { expect } from 'chai';
import { Aggregator, rowMatches, syscallLabel } from './aggregate.js';
import { makeViolation } from '../../testing/fake-agent.js';
import { RateMeter } from './rate.js';

describe('watch aggregation', () => {
  it('counts violations of one container/syscall/action in one row with first and last seen', () => {
    const agg = new Aggregator();
    agg.add('a', makeViolation({ timeUnixMs: 1000, pid: 1, comm: 'one' }), 0);
    agg.add('a', makeViolation({ timeUnixMs: 3000, pid: 2, comm: 'two' }), 0);
    agg.add('a', makeViolation({ timeUnixMs: 2000, pid: 3, comm: 'three' }), 0);
    const rows = agg.rows();
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ node: 'a', namespace: 'shop', pod: 'cart-1', container: 'app', syscall: 'mkdir', action: 'SCMP_ACT_LOG' });
    expect(rows[0]).to.include({ count: 3, firstSeenMs: 1000, lastSeenMs: 3000, lastComm: 'three', lastPid: 3 });
  });

  it('keeps nodes, containers, syscalls and actions apart', () => {
    const agg = new Aggregator();
    agg.add('a', makeViolation(), 0);
    agg.add('b', makeViolation(), 0);
    agg.add('a', makeViolation({ container: 'sidecar' }), 0);
    agg.add('a', makeViolation({ syscall: 'unshare', syscallNr: 272 }), 0);
    agg.add('a', makeViolation({ action: 'SCMP_ACT_ERRNO' }), 0);
    expect(agg.size).to.equal(5);
  });

  it('names unknown syscall numbers by arch so they stay distinct', () => {
    expect(syscallLabel({ syscall: '', syscallNr: 999, arch: 'SCMP_ARCH_AARCH64' })).to.equal('aarch64#999');
    expect(syscallLabel({ syscall: 'mkdir', syscallNr: 83, arch: 'SCMP_ARCH_X86_64' })).to.equal('mkdir');
  });

  it('uses the arrival time when a record carries none', () => {
    const agg = new Aggregator();
    agg.add('a', makeViolation({ timeUnixMs: 0 }), 4242);
    expect(agg.rows()[0]!.lastSeenMs).to.equal(4242);
  });

  it('sorts newest activity first by default, by count, and by name', () => {
    const agg = new Aggregator();
    agg.add('a', makeViolation({ syscall: 'zeta', timeUnixMs: 100 }), 0);
    agg.add('a', makeViolation({ syscall: 'zeta', timeUnixMs: 101 }), 0);
    agg.add('a', makeViolation({ syscall: 'zeta', timeUnixMs: 102 }), 0);
    agg.add('a', makeViolation({ syscall: 'alpha', timeUnixMs: 500 }), 0);
    agg.add('a', makeViolation({ syscall: 'mid', timeUnixMs: 300 }), 0);
    agg.add('a', makeViolation({ syscall: 'mid', timeUnixMs: 301 }), 0);
    expect(agg.rows('recent').map((r) => r.syscall)).to.deep.equal(['alpha', 'mid', 'zeta']);
    expect(agg.rows('count').map((r) => r.syscall)).to.deep.equal(['zeta', 'mid', 'alpha']);
    expect(agg.rows('name').map((r) => r.syscall)).to.deep.equal(['alpha', 'mid', 'zeta']);
    expect(agg.rows('count', '', 2).map((r) => r.syscall)).to.deep.equal(['zeta', 'mid']);
  });

  it('filters rows by text found in any column, case-insensitively', () => {
    const agg = new Aggregator();
    agg.add('node-a', makeViolation({ syscall: 'mkdir' }), 0);
    agg.add('node-b', makeViolation({ syscall: 'unshare', pod: 'api-7' }), 0);
    expect(agg.rows('name', 'UNSH').map((r) => r.syscall)).to.deep.equal(['unshare']);
    expect(agg.rows('name', 'node-a').map((r) => r.syscall)).to.deep.equal(['mkdir']);
    expect(agg.rows('name', 'api-7')).to.have.length(1);
    expect(agg.rows('name', 'log')).to.have.length(2);
    expect(rowMatches(agg.rows()[0]!, '   ')).to.equal(true);
  });

  it('stays within maxRows by evicting the least recently seen row, and counts evictions', () => {
    const agg = new Aggregator(3);
    for (const s of ['a', 'b', 'c']) agg.add('n', makeViolation({ syscall: s }), 0);
    agg.add('n', makeViolation({ syscall: 'a' }), 0); // a is now the most recent; b the least
    agg.add('n', makeViolation({ syscall: 'd' }), 0);
    expect(agg.size).to.equal(3);
    expect(agg.evicted).to.equal(1);
    expect(agg.rows('name').map((r) => r.syscall)).to.deep.equal(['a', 'c', 'd']);
    agg.clear();
    expect(agg.size).to.equal(0);
    expect(agg.evicted).to.equal(0);
  });

  it('returns copies: later events do not change a snapshot already taken', () => {
    const agg = new Aggregator();
    agg.add('n', makeViolation(), 0);
    const snap = agg.rows();
    agg.add('n', makeViolation(), 0);
    expect(snap[0]!.count).to.equal(1);
  });
});

describe('watch events/s', () => {
  it('averages arrivals over the sliding window and forgets what left it', () => {
    let now = 10_000;
    const meter = new RateMeter(() => now, 5000, 50);
    now += 5000;
    for (let i = 0; i < 100; i++) meter.record();
    expect(meter.perSecond()).to.equal(20);
    now += 2500;
    for (let i = 0; i < 50; i++) meter.record();
    expect(meter.perSecond()).to.equal(30);
    now += 2600; // the first 100 are out of the window
    expect(meter.perSecond()).to.equal(10);
    now += 60_000;
    expect(meter.perSecond()).to.equal(0);
  });

  it('divides by the time elapsed (at least a second) before a full window', () => {
    let now = 0;
    const meter = new RateMeter(() => now, 5000, 50);
    for (let i = 0; i < 10; i++) meter.record();
    expect(meter.perSecond()).to.equal(10);
    now = 2000;
    expect(meter.perSecond()).to.equal(5);
  });
});
