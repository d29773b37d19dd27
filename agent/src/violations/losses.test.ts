import { expect } from 'chai';
import { AuditLostCounter } from './losses.js';

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
