import { expect } from 'chai';
import { didYouMean } from './did-you-mean.js';

describe('didYouMean', () => {
  it('finds a typo of one or two edits, a swap included', () => {
    expect(didYouMean('docter', ['push', 'doctor', 'watch'])).to.equal('doctor');
    expect(didYouMean('wrtie', ['read', 'write', 'writev'])).to.equal('write');
    expect(didYouMean('SCMP_ACT_ALOW', ['SCMP_ACT_LOG', 'SCMP_ACT_ALLOW'])).to.equal('SCMP_ACT_ALLOW');
  });

  it('offers nothing for a word that is not close to any', () => {
    expect(didYouMean('frobnicate', ['doctor', 'push'])).to.equal(undefined);
  });
});
