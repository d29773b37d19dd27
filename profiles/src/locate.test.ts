import { expect } from 'chai';
import { locateIssues } from './locate.js';
import { parseProfileText } from './parse.js';

describe('locateIssues', () => {
  it('adds line:column of the key a lint issue points at', () => {
    const text = '{\n  "defaultAction": "SCMP_ACT_ALLOW",\n  "syscalls": [\n    { "names": ["read", "bpf"], "action": "SCMP_ACT_ALLOW" }\n  ]\n}';
    const { tree } = parseProfileText(text, 's');
    const issues = locateIssues(tree!.root, tree!.lines, [
      { severity: 'warning', code: 'default-allow', source: 's', path: '/defaultAction', message: 'm' },
      { severity: 'warning', code: 'dangerous-syscall', source: 's', path: '/syscalls/0/names/1', message: 'm' },
      { severity: 'info', code: 'invisible-denials', source: 's', path: '/flags', message: 'm' },
    ]);
    expect(issues.map((i) => [i.line, i.column])).to.deep.equal([
      [2, 3],
      [4, 25],
      [1, 1],
    ]);
  });
});
