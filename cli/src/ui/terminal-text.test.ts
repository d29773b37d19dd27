import type { Violation } from '@kubectl-seccomp/proto';
import { expect } from 'chai';
import { renderDoctor } from './doctor.js';
import { terminalLines, terminalText } from './terminal-text.js';
import { describeViolation } from './watch/report.js';
import { fit } from './watch/format.js';

/** What a container can put in its comm, and an agent or profile in any string. */
const HOSTILE = 'ls\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eexe';
const hasControl = (s: string): boolean =>
  [...s].some((c) => {
    const n = c.codePointAt(0)!;
    return n < 0x20 || (n >= 0x7f && n <= 0x9f) || n === 0x202e;
  });

describe('terminal text', () => {
  it('escapes ESC, OSC, CSI, BEL, C1 and bidi overrides, and keeps plain text', () => {
    expect(terminalText(HOSTILE)).to.equal('ls\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202eexe');
    expect(terminalText('mkdir café')).to.equal('mkdir café');
    expect(terminalLines('a\x1b\nb')).to.equal('a\\x1b\nb');
  });

  it('reaches no terminal raw: watch lines, the live table, doctor tables', () => {
    const v = { pod: 'web', namespace: 'shop', container: 'app', comm: HOSTILE, syscall: 'mkdir', syscallNr: 83, action: 'SCMP_ACT_LOG', pid: 1 } as Violation;
    expect(hasControl(describeViolation('node-1', v))).to.equal(false);
    expect(hasControl(fit(HOSTILE, 40))).to.equal(false);
    const doctor = renderDoctor({
      nodes: [
        {
          node: `n${HOSTILE}`,
          endpoint: '',
          status: 'ok',
          checks: [{ id: 'x', status: 'warn', summary: HOSTILE, detail: '', remedy: HOSTILE }],
          containers: [],
        },
      ],
      cluster: [],
      summary: { pass: 0, warn: 1, fail: 0, skip: 0, unreachable: 0 },
    } as unknown as Parameters<typeof renderDoctor>[0]);
    expect(hasControl(doctor.replaceAll('\n', ''))).to.equal(false);
  });
});
