import { expect } from 'chai';
import { auditKey } from './record.js';
import { RecentKeys } from './recent-keys.js';

const id = (serial: number, timeUnixMs: number): string => auditKey({ serial, timeUnixMs });

describe('RecentKeys: one record seen through several sources is one event', () => {
  it('reports the first sighting of an id and not its copies', () => {
    const ids = new RecentKeys({ capacity: 4 });
    expect(ids.firstSighting(id(1, 1000))).to.equal(true);
    expect(ids.firstSighting(id(1, 1000))).to.equal(false);
    expect(ids.firstSighting(id(2, 1000))).to.equal(true);
  });

  it('tells a serial reused after a reboot or wrap from a copy by its time', () => {
    const ids = new RecentKeys({ capacity: 4 });
    expect(ids.firstSighting(id(7, 1000))).to.equal(true);
    expect(ids.firstSighting(id(7, 9000))).to.equal(true);
    expect(ids.firstSighting(id(7, 9000))).to.equal(false);
  });

  it('forgets the oldest ids beyond its capacity, keeping memory bounded', () => {
    const ids = new RecentKeys({ capacity: 2 });
    ids.firstSighting(id(1, 1000));
    ids.firstSighting(id(2, 1000));
    ids.firstSighting(id(3, 1000));
    expect(ids.firstSighting(id(2, 1000))).to.equal(false);
    expect(ids.firstSighting(id(1, 1000))).to.equal(true);
  });

  it('keeps a serial seen twice until its latest sighting leaves the window', () => {
    const ids = new RecentKeys({ capacity: 2 });
    ids.firstSighting(id(5, 1000));
    ids.firstSighting(id(5, 2000));
    ids.firstSighting(id(6, 2000));
    // (5, 1000) was pushed out but (5, 2000) is still in.
    expect(ids.firstSighting(id(5, 2000))).to.equal(false);
  });

  it('answers whether an id was seen without recording a sighting', () => {
    const ids = new RecentKeys({ capacity: 4 });
    expect(ids.has(id(3, 1000))).to.equal(false);
    expect(ids.firstSighting(id(3, 1000))).to.equal(true);
    expect(ids.has(id(3, 1000))).to.equal(true);
    expect(ids.has(id(3, 2000))).to.equal(false);
  });

  it('remembers an id that left and came back while it was still in the window', () => {
    const ids = new RecentKeys({ capacity: 4 });
    ids.firstSighting(id(5, 1000));
    ids.firstSighting(id(5, 2000));
    expect(ids.firstSighting(id(5, 1000))).to.equal(false);
  });

  it('answers as a plain set of the last `capacity` ids, over many insertions and evictions', () => {
    for (const capacity of [1, 3, 8, 100]) {
      const ids = new RecentKeys({ capacity });
      const ring: string[] = [];
      let state = 12345;
      for (let i = 0; i < 20_000; i++) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        // Few distinct serials and times, so that copies and reused serials are common.
        const key = id(state % 37, 1_700_000_000_000 + ((state >>> 8) % 3) * 4_294_967_296);
        const expected = !ring.includes(key);
        if (ids.has(key) === expected) expect.fail(`has(${key}) at step ${i}`);
        expect(ids.firstSighting(key), `${key} at step ${i}`).to.equal(expected);
        if (expected) {
          ring.push(key);
          if (ring.length > capacity) ring.shift();
        }
      }
    }
  });

  it('forgets an id once its time window has passed, however few came after it', () => {
    let now = 0;
    const ids = new RecentKeys({ capacity: 100, windowMs: 1000, now: () => now });
    ids.firstSighting(id(1, 1000));
    now = 500;
    ids.firstSighting(id(2, 1000));
    now = 1000;
    expect([ids.has(id(1, 1000)), ids.has(id(2, 1000))]).to.deep.equal([false, true]);
    expect(ids.firstSighting(id(1, 1000))).to.equal(true);
    now = 1600;
    expect([ids.has(id(1, 1000)), ids.has(id(2, 1000))]).to.deep.equal([true, false]);
  });

  it('rejects a useless capacity', () => {
    expect(() => new RecentKeys({ capacity: 0 })).to.throw(RangeError);
  });
});
