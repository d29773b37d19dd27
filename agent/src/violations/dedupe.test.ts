import { expect } from 'chai';
import { RecentIds } from './dedupe.js';
import { AuditLostCounter } from './losses.js';

describe('RecentIds: one record seen through several sources is one event', () => {
  it('reports the first sighting of an id and not its copies', () => {
    const ids = new RecentIds(4);
    expect(ids.firstSighting(1, 1000)).to.equal(true);
    expect(ids.firstSighting(1, 1000)).to.equal(false);
    expect(ids.firstSighting(2, 1000)).to.equal(true);
  });

  it('tells a serial reused after a reboot or wrap from a copy by its time', () => {
    const ids = new RecentIds(4);
    expect(ids.firstSighting(7, 1000)).to.equal(true);
    expect(ids.firstSighting(7, 9000)).to.equal(true);
    expect(ids.firstSighting(7, 9000)).to.equal(false);
  });

  it('forgets the oldest ids beyond its capacity, keeping memory bounded', () => {
    const ids = new RecentIds(2);
    ids.firstSighting(1, 1000);
    ids.firstSighting(2, 1000);
    ids.firstSighting(3, 1000);
    expect(ids.firstSighting(2, 1000)).to.equal(false);
    expect(ids.firstSighting(1, 1000)).to.equal(true);
  });

  it('keeps a serial seen twice until its latest sighting leaves the window', () => {
    const ids = new RecentIds(2);
    ids.firstSighting(5, 1000);
    ids.firstSighting(5, 2000);
    ids.firstSighting(6, 2000);
    // The ring evicted (5, 1000) but (5, 2000) is still in it.
    expect(ids.firstSighting(5, 2000)).to.equal(false);
  });

  it('answers whether an id was seen without recording a sighting', () => {
    const ids = new RecentIds(4);
    expect(ids.has(3, 1000)).to.equal(false);
    expect(ids.firstSighting(3, 1000)).to.equal(true);
    expect(ids.has(3, 1000)).to.equal(true);
    expect(ids.has(3, 2000)).to.equal(false);
  });

  it('remembers an id that left and came back while it was still in the window', () => {
    const ids = new RecentIds(4);
    ids.firstSighting(5, 1000);
    ids.firstSighting(5, 2000);
    expect(ids.firstSighting(5, 1000)).to.equal(false);
  });

  it('answers as a plain set of the last `capacity` ids, over many insertions and evictions', () => {
    // A small table makes probe chains wrap around and evictions move entries back.
    for (const capacity of [1, 3, 8, 100]) {
      const ids = new RecentIds(capacity);
      const ring: string[] = [];
      let state = 12345;
      for (let i = 0; i < 20_000; i++) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        // Few distinct serials and times, so that copies, reused serials and collisions are common.
        const serial = state % 37;
        const time = 1_700_000_000_000 + ((state >>> 8) % 3) * 4_294_967_296;
        const id = `${serial}@${time}`;
        const expected = !ring.includes(id);
        if (ids.has(serial, time) === expected) expect.fail(`has(${id}) at step ${i}`);
        expect(ids.firstSighting(serial, time), `${id} at step ${i}`).to.equal(expected);
        if (expected) {
          ring.push(id);
          if (ring.length > capacity) ring.shift();
        }
      }
    }
  });

  it('never matches NaN', () => {
    const ids = new RecentIds(4);
    expect(ids.firstSighting(1, NaN)).to.equal(true);
    expect(ids.firstSighting(1, NaN)).to.equal(true);
    expect(ids.has(1, NaN)).to.equal(false);
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
