import { expect } from 'chai';
import { checkProfileText } from './check.js';

describe('checkProfileText', () => {
  it('a valid profile: the profile, and its lint findings at their line:column', () => {
    const text = '{\n  "defaultAction": "SCMP_ACT_ERRNO",\n  "syscalls": [{ "names": ["read", "bpf"], "action": "SCMP_ACT_ALLOW" }]\n}';
    const checked = checkProfileText(text, 'web.json');
    expect(checked.profile?.defaultAction).to.equal('SCMP_ACT_ERRNO');
    expect(checked.issues.find((i) => i.code === 'dangerous-syscall')).to.include({ source: 'web.json', path: '/syscalls/0/names/1', line: 3, column: 36 });
  });

  it('text that is not a profile: no profile, only the errors, as parseProfile gives them', () => {
    const broken = checkProfileText('{"defaultAction": "SCMP_ACT_ALLOW",}', 'broken.json');
    expect(broken.profile).to.equal(undefined);
    expect(broken.issues.map((i) => [i.severity, i.code, i.line])).to.deep.equal([['error', 'invalid-json', 1]]);
    const bytes = checkProfileText(Uint8Array.from([0x7b, 0xff, 0x7d]), 'latin1.json');
    expect(bytes.issues.map((i) => i.code)).to.deep.equal(['invalid-utf8']);
  });

  it('passes lint options on (--allow-unknown)', () => {
    const text = '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read", "no_such_call"], "action": "SCMP_ACT_ALLOW"}]}';
    const severityOf = (allowUnknown: boolean) =>
      checkProfileText(text, 'p.json', { allowUnknown }).issues.find((i) => i.path === '/syscalls/0/names/1')?.severity;
    expect([severityOf(false), severityOf(true)]).to.deep.equal(['error', 'warning']);
  });
});
