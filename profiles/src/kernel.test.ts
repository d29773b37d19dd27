import { expect } from 'chai';
import { actionFromCode } from './kernel.js';

describe('actionFromCode', () => {
  const cases: [number, string][] = [
    [0x80000000, 'SCMP_ACT_KILL_PROCESS'],
    [0x00000000, 'SCMP_ACT_KILL_THREAD'],
    [0x00030000, 'SCMP_ACT_TRAP'],
    [0x00050000, 'SCMP_ACT_ERRNO'],
    [0x7fc00000, 'SCMP_ACT_NOTIFY'],
    [0x7ff00000, 'SCMP_ACT_TRACE'],
    [0x7ffc0000, 'SCMP_ACT_LOG'],
    [0x7fff0000, 'SCMP_ACT_ALLOW'],
  ];
  for (const [code, action] of cases) {
    it(`0x${code.toString(16).padStart(8, '0')} is ${action}`, () => {
      const decoded = actionFromCode(code);
      expect(decoded.action).to.equal(action);
      expect(decoded.unknown).to.equal(undefined);
    });
  }

  it('reads the errno of SCMP_ACT_ERRNO from the low 16 bits', () => {
    expect(actionFromCode(0x00050001)).to.deep.equal({ action: 'SCMP_ACT_ERRNO', errno: 1, data: 1 });
    expect(actionFromCode(0x00050026)).to.deep.equal({ action: 'SCMP_ACT_ERRNO', errno: 38, data: 38 });
  });

  it('keeps the data of other actions without calling it an errno', () => {
    expect(actionFromCode(0x7ff00007)).to.deep.equal({ action: 'SCMP_ACT_TRACE', data: 7 });
  });

  it('accepts a code read as a signed 32-bit number', () => {
    expect(actionFromCode(0x80000000 | 0).action).to.equal('SCMP_ACT_KILL_PROCESS');
  });

  it('reports an unknown action as the kill the kernel applies, marked unknown', () => {
    expect(actionFromCode(0x00010000)).to.deep.equal({ action: 'SCMP_ACT_KILL_PROCESS', data: 0, unknown: true });
  });
});
