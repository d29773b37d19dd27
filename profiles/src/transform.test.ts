import { expect } from 'chai';
import { toAuditMode, withLogFlag } from './transform.js';
import { loadFixture } from './testing/fixtures.js';
import { flatten } from './flatten.js';
import type { SeccompProfile } from './model.js';

describe('toAuditMode', () => {
  it('turns every blocking action, default included, into SCMP_ACT_LOG and drops what no longer applies', () => {
    const p: SeccompProfile = {
      defaultAction: 'SCMP_ACT_KILL_PROCESS',
      listenerPath: '/run/agent.sock',
      listenerMetadata: 'meta',
      flags: ['SECCOMP_FILTER_FLAG_SPEC_ALLOW'],
      syscalls: [
        { names: ['read'], action: 'SCMP_ACT_ALLOW' },
        { names: ['mkdir'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 },
        { names: ['kill'], action: 'SCMP_ACT_TRAP' },
        { names: ['open'], action: 'SCMP_ACT_NOTIFY' },
        { names: ['ptrace'], action: 'SCMP_ACT_TRACE', errnoRet: 1 },
        { names: ['socket'], action: 'SCMP_ACT_KILL', args: [{ index: 0, value: 16, op: 'SCMP_CMP_EQ' }] },
      ],
    };
    expect(toAuditMode(p)).to.deep.equal({
      defaultAction: 'SCMP_ACT_LOG',
      flags: ['SECCOMP_FILTER_FLAG_SPEC_ALLOW'],
      syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }],
    });
  });

  it('keeps an allow-by-default profile allowing, and logs what it used to deny', () => {
    const p: SeccompProfile = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 }] };
    expect(toAuditMode(p)).to.deep.equal({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_LOG' }] });
  });

  it('leaves no blocking action in the Docker default and does not touch its input', () => {
    const flat = flatten(loadFixture('docker-default.json'), { arch: 'SCMP_ARCH_X86_64', kernel: '6.8' });
    const before = structuredClone(flat);
    const audit = toAuditMode(flat);
    expect(flat).to.deep.equal(before);
    expect(audit.defaultAction).to.equal('SCMP_ACT_LOG');
    expect(audit).to.not.have.property('defaultErrnoRet');
    expect(audit.syscalls?.map((r) => r.action)).to.satisfy((a: string[]) => a.every((x) => x === 'SCMP_ACT_ALLOW'));
    expect(audit.syscalls?.length).to.equal((flat.syscalls?.length ?? 0) - 1);
  });
});

describe('withLogFlag', () => {
  it('adds SECCOMP_FILTER_FLAG_LOG once, keeping other flags', () => {
    const p: SeccompProfile = { defaultAction: 'SCMP_ACT_ERRNO', flags: ['SECCOMP_FILTER_FLAG_SPEC_ALLOW'] };
    const once = withLogFlag(p);
    expect(once.flags).to.deep.equal(['SECCOMP_FILTER_FLAG_SPEC_ALLOW', 'SECCOMP_FILTER_FLAG_LOG']);
    expect(withLogFlag(once).flags).to.deep.equal(once.flags);
    expect(withLogFlag({ defaultAction: 'SCMP_ACT_ERRNO' }).flags).to.deep.equal(['SECCOMP_FILTER_FLAG_LOG']);
    expect(p.flags).to.deep.equal(['SECCOMP_FILTER_FLAG_SPEC_ALLOW']);
  });
});
