import { expect } from 'chai';
import { stringWidth } from './hanging.js';
import { columns } from './table.js';

const LONG = 'runc silently drops names libseccomp does not know, so this call is denied (--allow-unknown: a warning)';
const ESC = '\u001b';

describe('columns', () => {
  it('piped (no width): aligned, the last column never padded, nothing wrapped', () => {
    const out = columns(
      [
        ['error', '/a', LONG],
        ['info', '/longer/path', 'short'],
      ],
      2,
    );
    expect(out.split('\n')).to.deep.equal([`  error  /a            ${LONG}`, '  info   /longer/path  short']);
  });

  it('at 80 columns: the widest column shrinks and wraps under itself (a hanging indent); the others keep their width', () => {
    const out = columns(
      [
        ['error', '/syscalls/0/names/1', LONG],
        ['info', '/flags', 'short'],
      ],
      2,
      ['SEVERITY', 'PATH', 'MESSAGE'],
      80,
    );
    const lines = out.split('\n');
    for (const line of lines) expect(stringWidth(line), line).to.be.at.most(80);
    expect(out).not.to.contain(ESC);
    expect(lines[0]).to.equal('  SEVERITY  PATH                 MESSAGE');
    expect(lines[1]).to.match(/^ {2}error {5}\/syscalls\/0\/names\/1 {2}runc silently/);
    // Continuation lines start where the message column starts.
    const start = lines[1]!.indexOf('runc');
    const continued = lines.slice(2, -1);
    expect(continued.length).to.be.greaterThan(0);
    for (const line of continued) expect(line.slice(0, start).trim(), line).to.equal('');
    expect([lines[1]!.slice(start), ...continued.map((l) => l.slice(start))].join(' ')).to.equal(LONG);
    expect(lines.at(-1)).to.equal('  info      /flags               short');
  });

  it('shrinks the widest column before any other', () => {
    const path = '/syscalls/12/includes/caps/0/very/long/pointer';
    const out = columns([[path, 'x'.repeat(20), LONG]], 0, undefined, 120);
    const [first] = out.split('\n');
    expect(first!.startsWith(`${path}  ${'x'.repeat(20)}  runc`)).to.equal(true);
    for (const line of out.split('\n')) expect(stringWidth(line)).to.be.at.most(120);
  });

  it('breaks a word longer than its column rather than overflow the terminal', () => {
    const out = columns([['a', 'x'.repeat(120)]], 0, undefined, 40);
    for (const line of out.split('\n')) expect(stringWidth(line)).to.be.at.most(40);
    // Too narrow beside "a": under it, 4 columns in, cut into lines that fit.
    const [first, ...under] = out.split('\n');
    expect(first).to.equal('a');
    for (const line of under) expect(line).to.match(/^ {4}x+$/);
    expect(under.map((l) => l.trim()).join('')).to.equal('x'.repeat(120));
  });
});
