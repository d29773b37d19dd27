import { expect } from 'chai';
import { flatten } from './flatten.js';
import { ProfileError } from './issues.js';
import { loadFixture } from './testing/fixtures.js';
import { DEFAULT_CAPS } from './capabilities.js';
import type { SeccompProfile, SyscallRule } from './model.js';

const docker = () => loadFixture('docker-default.json');

/** Names allowed unconditionally (rules without args) by a flattened profile. */
function allowed(p: SeccompProfile): Set<string> {
  return new Set((p.syscalls ?? []).filter((r) => r.action === 'SCMP_ACT_ALLOW' && !r.args).flatMap((r) => r.names ?? []));
}
const rulesFor = (p: SeccompProfile, name: string): SyscallRule[] => (p.syscalls ?? []).filter((r) => r.names?.includes(name));

describe('flatten (Docker default)', () => {
  it('on amd64 with the default capabilities: no mount, clone only without namespace flags, clone3 ENOSYS', () => {
    const flat = flatten(docker(), { arch: 'SCMP_ARCH_X86_64', kernel: '6.8.0-45-generic' });
    expect(flat.architectures).to.deep.equal(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
    const ok = allowed(flat);
    for (const n of ['mount', 'umount2', 'bpf', 'unshare', 'setns', 'reboot', 'init_module', 'kcmp', 's390_runtime_instr', 'set_tls']) {
      expect(ok.has(n), n).to.equal(false);
    }
    for (const n of ['read', 'arch_prctl', 'modify_ldt', 'chroot', 'ptrace']) expect(ok.has(n), n).to.equal(true);
    expect(rulesFor(flat, 'clone')).to.deep.equal([
      { names: ['clone'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 2114060288, op: 'SCMP_CMP_MASKED_EQ' }] },
    ]);
    expect(rulesFor(flat, 'clone3')).to.deep.equal([{ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 }]);
  });

  it('on amd64 with CAP_SYS_ADMIN: mount, clone and clone3 allowed outright', () => {
    const flat = flatten(docker(), { arch: 'SCMP_ARCH_X86_64', kernel: '6.8', caps: [...DEFAULT_CAPS, 'CAP_SYS_ADMIN'] });
    const ok = allowed(flat);
    for (const n of ['mount', 'umount2', 'bpf', 'unshare', 'setns', 'clone', 'clone3']) expect(ok.has(n), n).to.equal(true);
    expect(rulesFor(flat, 'clone3').map((r) => r.action)).to.deep.equal(['SCMP_ACT_ALLOW']);
    expect(rulesFor(flat, 'clone').every((r) => !r.args)).to.equal(true);
  });

  it('drops capability-gated rules when the capability is missing (empty capability list)', () => {
    const ok = allowed(flatten(docker(), { arch: 'SCMP_ARCH_X86_64', kernel: '6.8', caps: [] }));
    expect(ok.has('chroot')).to.equal(false);
  });

  it('honours minKernel: ptrace only from 4.8 on (without CAP_SYS_PTRACE)', () => {
    expect(allowed(flatten(docker(), { arch: 'SCMP_ARCH_X86_64', kernel: '4.4.0-210-generic' })).has('ptrace')).to.equal(false);
    expect(allowed(flatten(docker(), { arch: 'SCMP_ARCH_X86_64', kernel: '4.8' })).has('ptrace')).to.equal(true);
    expect(allowed(flatten(docker(), { arch: 'SCMP_ARCH_X86_64', kernel: '4.19.0' })).has('ptrace')).to.equal(true);
    expect(allowed(flatten(docker(), { arch: 'SCMP_ARCH_X86_64', kernel: '4.4', caps: ['CAP_SYS_PTRACE'] })).has('ptrace')).to.equal(true);
  });

  it('treats excludes.minKernel as "drop from this kernel on"', () => {
    const p: SeccompProfile = { defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['old'], action: 'SCMP_ACT_ALLOW', excludes: { minKernel: '5.10' } }] };
    expect(flatten(p, { arch: 'SCMP_ARCH_X86_64', kernel: '5.4.0' }).syscalls).to.have.length(1);
    expect(flatten(p, { arch: 'SCMP_ARCH_X86_64', kernel: '5.10.1' }).syscalls).to.have.length(0);
  });

  it('on arm64: the arm archMap entry and the arm-only syscalls', () => {
    const flat = flatten(docker(), { arch: 'SCMP_ARCH_AARCH64', kernel: '6.1' });
    expect(flat.architectures).to.deep.equal(['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
    const ok = allowed(flat);
    expect(ok.has('set_tls')).to.equal(true);
    expect(ok.has('arch_prctl')).to.equal(false);
  });

  it('on s390x: the s390 clone argument order', () => {
    const flat = flatten(docker(), { arch: 'SCMP_ARCH_S390X', kernel: '6.1' });
    expect(rulesFor(flat, 'clone').map((r) => r.args?.[0]?.index)).to.deep.equal([1]);
  });

  it('leaves no Docker-only fields behind', () => {
    const flat = flatten(docker(), { arch: 'SCMP_ARCH_X86_64', kernel: '6.8' });
    expect(flat).to.not.have.property('archMap');
    for (const r of flat.syscalls ?? [])
      expect(Object.keys(r).sort()).to.satisfy((k: string[]) => k.every((x) => ['names', 'action', 'errnoRet', 'args'].includes(x)));
  });

  it('folds the singular name into names and removes rules left without names', () => {
    const p: SeccompProfile = {
      defaultAction: 'SCMP_ACT_ERRNO',
      syscalls: [
        { name: 'read', action: 'SCMP_ACT_ALLOW', comment: 'old style' },
        { names: ['ppc_only'], action: 'SCMP_ACT_ALLOW', includes: { arches: ['ppc64le'] } },
      ],
    };
    expect(flatten(p, { arch: 'SCMP_ARCH_X86_64' }).syscalls).to.deep.equal([{ names: ['read'], action: 'SCMP_ACT_ALLOW' }]);
  });

  it('returns a plain OCI profile unchanged', () => {
    const p: SeccompProfile = {
      defaultAction: 'SCMP_ACT_ERRNO',
      defaultErrnoRet: 1,
      architectures: ['SCMP_ARCH_X86_64'],
      flags: ['SECCOMP_FILTER_FLAG_LOG'],
      listenerPath: '/run/a.sock',
      listenerMetadata: 'x',
      syscalls: [
        { names: ['read', 'write'], action: 'SCMP_ACT_ALLOW' },
        { names: ['mkdir'], action: 'SCMP_ACT_NOTIFY', args: [] },
        { names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 8, valueTwo: 0, op: 'SCMP_CMP_EQ' }] },
        { names: ['kill'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 },
      ],
    };
    const copy = structuredClone(p);
    expect(flatten(p, { arch: 'SCMP_ARCH_AARCH64', kernel: '3.10', caps: [] })).to.deep.equal(copy);
    expect(p).to.deep.equal(copy);
  });

  it('refuses what Docker refuses, and a kernel release it cannot read', () => {
    const both: SeccompProfile = { defaultAction: 'SCMP_ACT_ERRNO', architectures: ['SCMP_ARCH_X86_64'], archMap: [{ architecture: 'SCMP_ARCH_X86_64' }] };
    expect(() => flatten(both, { arch: 'SCMP_ARCH_X86_64' })).to.throw(ProfileError, /archMap/);
    const names: SeccompProfile = { defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ name: 'a', names: ['b'], action: 'SCMP_ACT_ALLOW' }] };
    expect(() => flatten(names, { arch: 'SCMP_ARCH_X86_64' })).to.throw(ProfileError, /name/);
    expect(() => flatten(docker(), { arch: 'SCMP_ARCH_X86_64', kernel: 'linux' })).to.throw(ProfileError, /kernel release/);
  });
});

describe('flatten: seccomp flags', () => {
  const logged: SeccompProfile = {
    defaultAction: 'SCMP_ACT_ERRNO',
    flags: ['SECCOMP_FILTER_FLAG_LOG'],
    syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }],
  };

  it('keeps flags for a runtime that takes them, and when nothing is known', () => {
    expect(flatten(logged, { arch: 'SCMP_ARCH_X86_64', filterFlags: true }).flags).to.deep.equal(['SECCOMP_FILTER_FLAG_LOG']);
    expect(flatten(logged, { arch: 'SCMP_ARCH_X86_64' }).flags).to.deep.equal(['SECCOMP_FILTER_FLAG_LOG']);
  });

  it('drops them for a runtime that refuses any (runc < 1.2 fails the container: "seccomp flags are not yet supported by runc")', () => {
    const flat = flatten(logged, { arch: 'SCMP_ARCH_X86_64', filterFlags: false });
    expect(flat.flags).to.equal(undefined);
    expect(flat.syscalls).to.deep.equal(logged.syscalls);
  });
});
