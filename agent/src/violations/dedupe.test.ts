import { expect } from 'chai';
import { RecentIds } from './dedupe.js';
import { AuditLostCounter } from './losses.js';

describe('RecentIds: one record seen through several sources is one event', () => {
  it('reports the first sighting of an id and not its copies', () => {
    const ids = new RecentIds(4);
    expect(ids.firstSighting('1.000:1')).to.equal(true);
    expect(ids.firstSighting('1.000:1')).to.equal(false);
    expect(ids.firstSighting('1.000:2')).to.equal(true);
  });

  it('forgets the oldest ids beyond its capacity, keeping memory bounded', () => {
    const ids = new RecentIds(2);
    ids.firstSighting('a');
    ids.firstSighting('b');
    ids.firstSighting('c');
    expect(ids.firstSighting('b')).to.equal(false);
    expect(ids.firstSighting('a')).to.equal(true);
  });

  it('rejects a useless capacity', () => {
    expect(() => new RecentIds(0)).to.throw(RangeError);
  });
});

describe('AuditLostCounter: audit_lost is cumulative', () => {
  it('counts one loss at the first sighting, then the increase', () => {
    const c = new AuditLostCounter();
    expect(c.increase(5)).to.equal(1);
    expect(c.increase(9)).to.equal(4);
    expect(c.increase(9)).to.equal(0);
  });

  it('treats a smaller value as a restarted counter', () => {
    const c = new AuditLostCounter();
    c.increase(100);
    expect(c.increase(3)).to.equal(3);
  });
});
