import { expect } from 'chai';
import { lintProfile, type SeccompProfile } from '@kubectl-seccomp/profiles';
import { makeViolation } from '../watch/fake-agent.fixture.js';
import { ObservedSyscalls } from './observed.js';
import { suggestProfile } from './suggest.js';

const auditBase: SeccompProfile = {
  defaultAction: 'SCMP_ACT_LOG',
  architectures: ['SCMP_ARCH_X86_64'],
  flags: ['SECCOMP_FILTER_FLAG_LOG'],
  syscalls: [
    { names: ['read', 'write', 'exit_group'], action: 'SCMP_ACT_ALLOW' },
    { names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 8, op: 'SCMP_CMP_EQ' }] },
    { names: ['mount', 'unshare'], action: 'SCMP_ACT_LOG' },
  ],
};

describe('profile suggestion', () => {
  it('adds exactly the observed syscalls in one sorted ALLOW rule, without the ones already allowed', () => {
    const s = suggestProfile(['mkdir', 'write', 'chmod', 'mkdir', 'personality'], auditBase);
    expect(s.added).to.deep.equal(['chmod', 'mkdir', 'personality']);
    expect(s.alreadyAllowed).to.deep.equal(['write']);
    const allowRules = s.profile.syscalls!.filter((r) => r.action === 'SCMP_ACT_ALLOW' && !r.args);
    expect(allowRules.at(-1)).to.deep.equal({ names: ['chmod', 'mkdir', 'personality'], action: 'SCMP_ACT_ALLOW' });
    expect(s.profile.syscalls!.slice(0, 2)).to.deep.equal(auditBase.syscalls!.slice(0, 2));
  });

  it('restores a blocking default from an audit-mode base and keeps its flags and architectures', () => {
    const s = suggestProfile(['mkdir'], auditBase);
    expect(s.profile.defaultAction).to.equal('SCMP_ACT_ERRNO');
    expect(s.profile.defaultErrnoRet).to.equal(1);
    expect(s.profile.flags).to.deep.equal(['SECCOMP_FILTER_FLAG_LOG']);
    expect(s.profile.architectures).to.deep.equal(['SCMP_ARCH_X86_64']);
    expect(s.notes.join('\n')).to.match(/SCMP_ACT_LOG/);
  });

  it('takes an observed name out of a non-ALLOW rule so no syscall gets two actions', () => {
    const s = suggestProfile(['unshare'], auditBase);
    expect(s.profile.syscalls).to.deep.include({ names: ['mount'], action: 'SCMP_ACT_LOG' });
    expect(s.profile.syscalls).to.deep.include({ names: ['unshare'], action: 'SCMP_ACT_ALLOW' });
    const drop = suggestProfile(['mount', 'unshare'], auditBase);
    expect(drop.profile.syscalls!.some((r) => r.action === 'SCMP_ACT_LOG')).to.equal(false);
  });

  it('does not change the base it was given', () => {
    const before = structuredClone(auditBase);
    suggestProfile(['mkdir', 'mount'], auditBase);
    expect(auditBase).to.deep.equal(before);
  });

  it('keeps a blocking base as it is and adds nothing when everything seen was allowed', () => {
    const base: SeccompProfile = { defaultAction: 'SCMP_ACT_KILL_PROCESS', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }] };
    const s = suggestProfile(['read'], base);
    expect(s.added).to.deep.equal([]);
    expect(s.profile).to.deep.equal(base);
  });

  it('without a base allows what every container needs at start plus the observed syscalls, EPERM for the rest, on the observed arches', () => {
    const s = suggestProfile(['mkdir', 'chmod', 'execve'], undefined, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86']);
    expect(s.profile).to.deep.equal({
      defaultAction: 'SCMP_ACT_ERRNO',
      defaultErrnoRet: 1,
      architectures: ['SCMP_ARCH_X86', 'SCMP_ARCH_X86_64'],
      syscalls: [
        { names: ['close', 'execve', 'exit', 'exit_group', 'fstatfs', 'getdents64', 'openat', 'write'], action: 'SCMP_ACT_ALLOW' },
        { names: ['chmod', 'mkdir'], action: 'SCMP_ACT_ALLOW' },
      ],
    });
    expect(s.alreadyAllowed).to.deep.equal(['execve']);
    expect(lintProfile(s.profile).filter((i) => i.code === 'cannot-start')).to.deep.equal([]);
  });
});

describe('observed syscalls', () => {
  it('collects names and arches per container, and keeps unnamed numbers apart', () => {
    const o = new ObservedSyscalls();
    o.add(makeViolation({ syscall: 'mkdir' }));
    o.add(makeViolation({ syscall: 'chmod' }));
    o.add(makeViolation({ container: 'sidecar', syscall: '', syscallNr: 999, arch: 'SCMP_ARCH_AARCH64' }));
    expect(o.size).to.equal(2);
    const app = o.containers().find((c) => c.container === 'app')!;
    expect([...app.syscalls].sort()).to.deep.equal(['chmod', 'mkdir']);
    expect([...app.arches]).to.deep.equal(['SCMP_ARCH_X86_64']);
    const merged = o.merged();
    expect([...merged.syscalls].sort()).to.deep.equal(['chmod', 'mkdir']);
    expect([...merged.unnamed]).to.deep.equal(['SCMP_ARCH_AARCH64#999']);
    expect([...merged.arches].sort()).to.deep.equal(['SCMP_ARCH_AARCH64', 'SCMP_ARCH_X86_64']);
  });
});
