import { expect } from 'chai';
import { LineSplitter } from './line-splitter.js';

describe('LineSplitter', () => {
  it('joins a line cut across chunks', () => {
    const s = new LineSplitter();
    expect(s.push(Buffer.from('type=SEC'))).to.deep.equal([]);
    expect(s.push(Buffer.from('COMP a\nb'))).to.deep.equal(['type=SECCOMP a']);
    expect(s.flush()).to.equal('b');
  });

  it('holds at most maxLineBytes of a 200 MB line, drops it, and goes on with the next', () => {
    const s = new LineSplitter(1024);
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    let held = 0;
    for (let i = 0; i < (200 * 1024 * 1024) / chunk.length; i++) {
      expect(s.push(chunk)).to.deep.equal([]);
      held = Math.max(held, s.buffered);
    }
    expect(held).to.be.at.most(1024);
    expect(s.push(Buffer.from('AAAA\nnext line\n'))).to.deep.equal(['next line']);
    expect(s.overlong).to.equal(1);
    // A long line ended inside one chunk is dropped too.
    expect(s.push(Buffer.concat([Buffer.alloc(2048, 0x42), Buffer.from('\nok\n')]))).to.deep.equal(['ok']);
    expect(s.overlong).to.equal(2);
  });
});
