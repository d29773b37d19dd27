import { expect } from 'chai';
import { BadRequestError, jsonPatch, mergePatch } from './patch.js';

describe('test API server patches', () => {
  const node = {
    metadata: { name: 'a' },
    spec: {
      taints: [
        { key: 'x', effect: 'NoSchedule' },
        { key: 'y', effect: 'NoSchedule' },
      ],
    },
  };

  it('json patch: test guards a remove, as a client removing one list item sends it', () => {
    const out = jsonPatch(node, [
      { op: 'test', path: '/spec/taints/0', value: { key: 'x', effect: 'NoSchedule' } },
      { op: 'remove', path: '/spec/taints/0' },
    ]);
    expect(out.spec).to.deep.equal({ taints: [{ key: 'y', effect: 'NoSchedule' }] });
    expect(node.spec.taints).to.have.length(2);
    expect(() => jsonPatch(out, [{ op: 'test', path: '/spec/taints/0', value: { key: 'x', effect: 'NoSchedule' } }])).to.throw(BadRequestError, /test failed/);
  });

  it('merge patch: null deletes a key, objects merge, arrays replace', () => {
    expect(mergePatch({ a: 1, b: { c: 2, d: [1] } }, { a: null, b: { d: [2] } })).to.deep.equal({ b: { c: 2, d: [2] } });
  });
});
