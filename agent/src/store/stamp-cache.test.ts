import { expect } from 'chai';
import { MAX_ENTRIES, SETTLE_MS, StampCache } from './stamp-cache.js';

const NOW = 1_800_000_000_000;
const stamp = (key: string, ageMs: number): { key: string; changedMs: number } => ({ key, changedMs: NOW - ageMs });

describe('StampCache', () => {
  it('answers only for the exact stamp the file had when it was read', () => {
    const cache = new StampCache<string>();
    cache.set('a.json', stamp('1:2:10:5:5', 60_000), 'digest-a', NOW);
    expect(cache.has('a.json')).to.equal(true);
    expect(cache.get('a.json', stamp('1:2:10:5:5', 60_000))).to.equal('digest-a');
    // Same inode and size, rewritten in place: mtime/ctime moved.
    expect(cache.get('a.json', stamp('1:2:10:6:6', 0))).to.equal(undefined);
    // Once missed, the old entry is gone even if the old stamp came back (e.g. mtime set back).
    expect(cache.get('a.json', stamp('1:2:10:5:5', 60_000))).to.equal(undefined);
    expect(cache.get('b.json', stamp('1:2:10:5:5', 60_000))).to.equal(undefined);
  });

  it('keeps nothing read less than SETTLE_MS after the file last changed: a write in the same tick would not show', () => {
    const cache = new StampCache<string>();
    cache.set('fresh.json', stamp('k', SETTLE_MS - 1), 'v', NOW);
    expect(cache.has('fresh.json')).to.equal(false);
    cache.set('old.json', stamp('k', SETTLE_MS + 1), 'v', NOW);
    expect(cache.get('old.json', stamp('k', SETTLE_MS + 1))).to.equal('v');
  });

  it('forgets a path on delete and on an unsettled re-read', () => {
    const cache = new StampCache<string>();
    cache.set('a.json', stamp('k1', 60_000), 'v1', NOW);
    cache.delete('a.json');
    expect(cache.get('a.json', stamp('k1', 60_000))).to.equal(undefined);
    cache.set('a.json', stamp('k1', 60_000), 'v1', NOW);
    cache.set('a.json', stamp('k2', 0), 'v2', NOW);
    expect(cache.get('a.json', stamp('k1', 60_000))).to.equal(undefined);
  });

  it('keeps answering for the files it holds past MAX_ENTRIES, and makes room as files go', () => {
    const cache = new StampCache<string>();
    const paths = Array.from({ length: MAX_ENTRIES + 500 }, (_, i) => `p/${i}.json`);
    for (const p of paths) cache.set(p, stamp(p, 60_000), p, NOW);
    // The first MAX_ENTRIES are still answered: a second listing reads only the 500 others.
    const hits = paths.filter((p) => cache.get(p, stamp(p, 60_000)) === p).length;
    expect(hits).to.equal(MAX_ENTRIES);
    cache.retainOnly(new Set(paths.slice(500, MAX_ENTRIES)));
    cache.set('new.json', stamp('n', 60_000), 'n', NOW);
    expect(cache.get('new.json', stamp('n', 60_000))).to.equal('n');
  });
});
