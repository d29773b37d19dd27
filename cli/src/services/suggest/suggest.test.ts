import { expect } from 'chai';
import { lintProfile, type SeccompProfile } from '@kubectl-seccomp/profiles';
import { makeViolation } from '../../testing/fake-agent.js';
import { ObservedSyscalls } from './observed.js';
import { suggestProfile } from './suggest.js';
import { writeSuggestions } from './write.js';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const auditBase: SeccompProfile = {
  defaultAction: 'SCMP_ACT_LOG',
  architectures: ['SCMP_ARCH_X86_64'],
  flags: ['SECCOMP_FILTER_FLAG_LOG'],
  syscalls: [
    // A base a container can start under (lint's cannot-start would refuse the suggestion otherwise).
    { names: ['read', 'write', 'exit_group', 'execve', 'openat', 'close', 'fstatfs', 'getdents64'], action: 'SCMP_ACT_ALLOW' },
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

describe('writing suggestions', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'suggest-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const observedWithUnnamed = (): ObservedSyscalls => {
    const o = new ObservedSyscalls();
    o.add(makeViolation({ syscall: 'mkdir' }));
    o.add(makeViolation({ namespace: '', pod: '', container: '', containerId: '', podUid: '', syscall: 'chmod' }));
    o.add(makeViolation({ namespace: '', pod: '', container: '', containerId: 'ab'.repeat(32), podUid: '', syscall: 'chown' }));
    return o;
  };

  it('DIR/ writes one profile per named container and reports, never writes, what no pod could be found for', async () => {
    const written = await writeSuggestions(`${dir}/`, observedWithUnnamed(), auditBase);
    expect(await readdir(dir)).to.deep.equal(['shop_cart-1_app.json']);
    expect(written.filter((w) => w.file === '').map((w) => [w.scope, w.added])).to.have.deep.members([
      ['exited before it could be named', ['chmod']],
      [`container ${'ab'.repeat(6)} (no pod known)`, ['chown']],
    ]);
  });

  it('one FILE allows everything seen, and names the syscalls only unnamed processes made', async () => {
    const file = join(dir, 'suggested.json');
    const [w] = await writeSuggestions(file, observedWithUnnamed(), auditBase);
    expect(w!.added).to.deep.equal(['chmod', 'chown', 'mkdir']);
    expect(w!.fromUnattributed).to.deep.equal(['chmod', 'chown']);
    expect(await readFile(file, 'utf8')).to.include('"chmod"');
  });
});
