import { expect } from 'chai';
import { hasErrors } from './issues.js';
import { lintProfile } from './lint.js';
import { STARTUP_SYSCALLS } from './startup-syscalls.js';
import { loadFixture } from './testing/fixtures.js';
import type { ProfileIssue, ScmpArch, SeccompProfile, SyscallRule } from './model.js';

/** A small stand-in syscall table, so these tests do not depend on the generated ones. */
const TABLE: Partial<Record<ScmpArch, ReadonlySet<string>>> = {
  SCMP_ARCH_X86_64: new Set(['read', 'write', 'mkdir', 'mount', 'ptrace', 'clone', 'arch_prctl', 'personality', 'keyctl', 'bpf']),
  SCMP_ARCH_X86: new Set(['read', 'write', 'mkdir', 'chown32']),
  SCMP_ARCH_AARCH64: new Set(['read', 'write', 'mkdirat', 'mount', 'ptrace', 'clone', 'personality', 'keyctl', 'bpf']),
};
const knownSyscalls = (arch: ScmpArch) => TABLE[arch] ?? new Set<string>();

const lint = (p: SeccompProfile) => lintProfile(p, { source: 'p.json', knownSyscalls });
const base = (syscalls: SyscallRule[], extra: Partial<SeccompProfile> = {}): SeccompProfile => ({
  defaultAction: 'SCMP_ACT_ERRNO',
  flags: ['SECCOMP_FILTER_FLAG_LOG'],
  syscalls,
  ...extra,
});
const find = (issues: ProfileIssue[], code: string) => issues.filter((i) => i.code === code);

describe('lintProfile', () => {
  it('finds nothing in a clean, visible, deny-by-default profile', () => {
    expect(lint(base([{ names: ['read', 'write'], action: 'SCMP_ACT_ALLOW' }]))).to.deep.equal([]);
  });

  it('names the source and path in every issue', () => {
    const [i] = lint(base([{ names: ['read', 'mkdri'], action: 'SCMP_ACT_ALLOW' }]));
    expect(i).to.include({ source: 'p.json', code: 'unknown-syscall', path: '/syscalls/0/names/1', severity: 'error' });
    expect(i?.message).to.match(/mkdri.*silently drops.*denied/);
    expect(lintProfile({ defaultAction: 'SCMP_ACT_ALLOW' })[0]?.source).to.equal('profile');
  });

  it('an unknown name in an ALLOW rule is an error (the call is then denied); allowUnknown or another action: a warning', () => {
    // This profile cannot start a container either (cannot-start): that rule is tested on its own below.
    const names = (issues: ProfileIssue[]) => issues.filter((i) => i.code !== 'cannot-start').map((i) => [i.code, i.severity]);
    const allow = base([{ names: ['mkdri'], action: 'SCMP_ACT_ALLOW' }]);
    expect(names(lintProfile(allow))).to.deep.equal([['unknown-syscall', 'error']]);
    expect(names(lintProfile(allow, { allowUnknown: true }))).to.deep.equal([['unknown-syscall', 'warning']]);
    const log = base([{ names: ['mkdri'], action: 'SCMP_ACT_LOG' }]);
    expect(
      lintProfile(log)
        .filter((i) => i.code === 'unknown-syscall')
        .map((i) => i.severity),
    ).to.deep.equal(['warning']);
  });

  it('a name missing on some listed native architectures is info in an ALLOW rule (one per arch); missing on all of them, an error there', () => {
    const p = base([{ names: ['chown32', 'mkdirat', 'nosuch'], action: 'SCMP_ACT_ALLOW' }], {
      architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_AARCH64'],
    });
    const names = lint(p).filter((i) => i.code !== 'cannot-start');
    expect(names.map((i) => [i.code, i.severity, i.path])).to.deep.equal([
      ['unknown-syscall', 'error', '/syscalls/0/names/2'],
      ['syscall-not-on-arch', 'info', '/syscalls/0/names/1'],
    ]);
    // chown32 exists only on the x86 compat layer: that is what sub-architectures are listed for.
    expect(names[1]?.message).to.match(/^mkdirat does not exist on SCMP_ARCH_X86_64 \(only on other listed architectures\)/);
    const x86only = base([{ names: ['chown32'], action: 'SCMP_ACT_ALLOW' }], { architectures: ['SCMP_ARCH_X86_64'] });
    const only = (issues: ProfileIssue[]) => find(issues, 'syscall-not-on-arch').map((i) => [i.code, i.severity, i.path]);
    expect(only(lint(x86only))).to.deep.equal([['syscall-not-on-arch', 'error', '/syscalls/0/names/0']]);
    expect(only(lintProfile(x86only, { allowUnknown: true }))).to.deep.equal([['syscall-not-on-arch', 'warning', '/syscalls/0/names/0']]);
    const logged = base([{ names: ['chown32'], action: 'SCMP_ACT_LOG' }], { architectures: ['SCMP_ARCH_X86_64'] });
    expect(only(lint(logged))).to.deep.equal([['syscall-not-on-arch', 'warning', '/syscalls/0/names/0']]);
  });

  it('names missing on one arch are one finding for that arch and kind of rule: info where allowed, a warning where blocked', () => {
    const p = base(
      [
        { names: ['read', 'arch_prctl', 'personality', 'write'], action: 'SCMP_ACT_ALLOW' },
        { names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO' },
      ],
      { architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_AARCH64'] },
    );
    const issues = find(lint(p), 'syscall-not-on-arch');
    expect(issues.map((i) => [i.severity, i.path, i.message])).to.deep.equal([
      [
        'info',
        '/syscalls/0/names/1',
        'arch_prctl does not exist on SCMP_ARCH_AARCH64 (only on other listed architectures): never matched on SCMP_ARCH_AARCH64 nodes',
      ],
      [
        'warning',
        '/syscalls/1/names/0',
        'mkdir does not exist on SCMP_ARCH_AARCH64 (only on other listed architectures): never matched on SCMP_ARCH_AARCH64 nodes',
      ],
      [
        'warning',
        '/syscalls/1/names/1',
        'mkdirat does not exist on SCMP_ARCH_X86_64 (only on other listed architectures): never matched on SCMP_ARCH_X86_64 nodes',
      ],
    ]);
  });

  it('checks arch-gated Docker rules against their own arches, and skips arches without a table', () => {
    const p = base([{ names: ['arch_prctl'], action: 'SCMP_ACT_ALLOW', includes: { arches: ['amd64'] } }], { archMap: [{ architecture: 'SCMP_ARCH_S390X' }] });
    expect(find(lint(p), 'syscall-not-on-arch')).to.have.length(0);
    const s390 = base([{ names: ['read'], action: 'SCMP_ACT_ALLOW' }], { architectures: ['SCMP_ARCH_S390X'] });
    expect(lint(s390)).to.deep.equal([]);
  });

  it('with the real syscall tables: the Docker default names only syscalls libseccomp knows', () => {
    const issues = lintProfile(loadFixture('docker-default.json'));
    expect(find(issues, 'unknown-syscall')).to.deep.equal([]);
    expect(find(lintProfile(base([{ names: ['mkdri'], action: 'SCMP_ACT_ALLOW' }])), 'unknown-syscall')).to.have.length(1);
  });

  it('warns about duplicate rules and rejects contradictory ones', () => {
    const issues = lint(
      base([
        { names: ['read', 'mkdir'], action: 'SCMP_ACT_ALLOW' },
        { names: ['read'], action: 'SCMP_ACT_ALLOW' },
        { names: ['mkdir'], action: 'SCMP_ACT_KILL' },
        { names: ['write'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 1, op: 'SCMP_CMP_EQ' }] },
        { names: ['write'], action: 'SCMP_ACT_LOG', args: [{ index: 0, value: 2, op: 'SCMP_CMP_EQ' }] },
      ]),
    );
    expect(find(issues, 'duplicate-rule').map((i) => [i.path, i.severity])).to.deep.equal([['/syscalls/1/names/0', 'warning']]);
    expect(find(issues, 'contradictory-rule').map((i) => [i.path, i.severity])).to.deep.equal([['/syscalls/2/names/0', 'error']]);
    expect(hasErrors(issues)).to.equal(true);
  });

  it('compares actions as runc loads them: KILL is KILL_THREAD, ERRNO defaults to EPERM', () => {
    const issues = lint(
      base([
        { names: ['read'], action: 'SCMP_ACT_KILL' },
        { names: ['read'], action: 'SCMP_ACT_KILL_THREAD' },
        { names: ['mkdir'], action: 'SCMP_ACT_TRACE' },
        { names: ['mkdir'], action: 'SCMP_ACT_TRACE', errnoRet: 1 },
        { names: ['write'], action: 'SCMP_ACT_TRACE' },
        { names: ['write'], action: 'SCMP_ACT_TRACE', errnoRet: 13 },
      ]),
    );
    expect(find(issues, 'duplicate-rule').map((i) => i.path)).to.deep.equal(['/syscalls/1/names/0', '/syscalls/3/names/0']);
    expect(find(issues, 'contradictory-rule').map((i) => i.path)).to.deep.equal(['/syscalls/5/names/0']);
  });

  it('does not call differently-conditioned Docker rules contradictory (the clone3 pair)', () => {
    expect(find(lint(loadFixture('docker-default.json')), 'contradictory-rule')).to.deep.equal([]);
  });

  it('warns on default-allow and notes audit mode', () => {
    const allow = lint({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mount'], action: 'SCMP_ACT_ERRNO' }], flags: ['SECCOMP_FILTER_FLAG_LOG'] });
    const [d] = find(allow, 'default-allow');
    expect(d).to.include({ severity: 'warning', path: '/defaultAction' });
    expect(d?.message)
      .to.match(/including umount, umount2/)
      .and.not.match(/[ ,]mount\b/);
    expect(find(lint({ defaultAction: 'SCMP_ACT_LOG' }), 'audit-mode')[0]).to.include({ severity: 'info', path: '/defaultAction' });
  });

  it('warns when a profile allows what runtimes block, with the reason', () => {
    const issues = find(
      lint(
        base([
          { names: ['read', 'keyctl', 'bpf'], action: 'SCMP_ACT_ALLOW' },
          { names: ['ptrace'], action: 'SCMP_ACT_LOG' },
        ]),
      ),
      'dangerous-syscall',
    );
    expect(issues.map((i) => [i.path, i.severity])).to.deep.equal([
      ['/syscalls/0/names/1', 'warning'],
      ['/syscalls/0/names/2', 'warning'],
      ['/syscalls/1/names/0', 'info'],
    ]);
    expect(issues[0]?.message).to.match(/keyring/);
  });

  it('accepts dangerous syscalls behind argument conditions or a capability gate, and blocking them', () => {
    const p = base([
      { names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 0, op: 'SCMP_CMP_EQ' }] },
      { names: ['mount'], action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_SYS_ADMIN'] } },
      { names: ['bpf'], action: 'SCMP_ACT_KILL_PROCESS' },
    ]);
    expect(find(lint(p), 'dangerous-syscall')).to.deep.equal([]);
  });

  it('says what containerd ignores, warning where a capability gate disappears', () => {
    const p = base(
      [
        { names: ['mount'], action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_SYS_ADMIN'] } },
        { names: ['arch_prctl'], action: 'SCMP_ACT_ALLOW', includes: { arches: ['amd64'] }, comment: 'x86 only' },
        { name: 'read', action: 'SCMP_ACT_ALLOW' },
      ],
      { archMap: [{ architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86'] }] },
    );
    const got = find(lint(p), 'containerd-ignores-field').map((i) => [i.path, i.severity]);
    expect(got).to.deep.equal([
      ['/archMap', 'warning'],
      ['/syscalls/0/includes', 'warning'],
      ['/syscalls/1/includes', 'info'],
      ['/syscalls/1/comment', 'info'],
      ['/syscalls/2/name', 'warning'],
    ]);
    expect(find(lint(p), 'containerd-ignores-field')[1]?.message).to.match(/mount.*whatever its capabilities/);
  });

  it('notes when denials are invisible to watch, unless SECCOMP_FILTER_FLAG_LOG is set', () => {
    const silent = find(lint({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO' }] }), 'invisible-denials');
    expect(silent).to.have.length(1);
    expect(silent[0]).to.include({ severity: 'info' });
    expect(silent[0]?.message).to.match(/SECCOMP_FILTER_FLAG_LOG/);
    expect(find(lint(base([{ names: ['read'], action: 'SCMP_ACT_ALLOW' }])), 'invisible-denials')).to.deep.equal([]);
    expect(
      find(lint({ defaultAction: 'SCMP_ACT_KILL_PROCESS', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }] }), 'invisible-denials'),
    ).to.deep.equal([]);
  });

  it('flags what runc refuses or ignores', () => {
    const issues = lint({
      defaultAction: 'SCMP_ACT_NOTIFY',
      defaultErrnoRet: 5,
      listenerPath: '/run/a.sock',
      architectures: ['SCMP_ARCH_X86_64'],
      archMap: [{ architecture: 'SCMP_ARCH_X86_64' }],
      flags: ['SECCOMP_FILTER_FLAG_LOG'],
      syscalls: [
        { names: ['write'], action: 'SCMP_ACT_NOTIFY' },
        { names: ['read'], action: 'SCMP_ACT_ALLOW', errnoRet: 1 },
        { names: ['mkdir'], action: 'SCMP_ACT_ERRNO', errnoRet: 70000 },
        { names: ['clone'], action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_SYS_ADMINN'] } },
      ],
    });
    const codes = issues.map((i) => `${i.severity} ${i.code} ${i.path}`);
    expect(codes).to.include.members([
      'error notify-default-action /defaultAction',
      'warning errno-ret-ignored /defaultErrnoRet',
      'error architectures-and-archmap /archMap',
      'error notify-write /syscalls/0/action',
      'info redundant-rule /syscalls/0/action',
      'warning errno-ret-ignored /syscalls/1/errnoRet',
      'warning errno-ret-range /syscalls/2/errnoRet',
      'warning unknown-capability /syscalls/3/includes/caps/0',
    ]);
  });

  it('counts an ERRNO rule as redundant only when its errno matches the default one', () => {
    const same = lint(base([{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 }]));
    expect(find(same, 'redundant-rule')).to.have.length(1);
    const other = lint(base([{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 }]));
    expect(find(other, 'redundant-rule')).to.have.length(0);
  });

  describe('cannot-start', () => {
    const startable = (): SyscallRule => ({ names: STARTUP_SYSCALLS.map((c) => c.names[0]!), action: 'SCMP_ACT_ALLOW' });
    const arches = { architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_AARCH64'] };
    const starts = (p: SeccompProfile) => find(lintProfile(p, { source: 'p.json' }), 'cannot-start');

    it('is an error when the default denies a call every container makes at start, naming it and the arches', () => {
      const [issue, more] = starts(
        base([{ names: ['read', 'write', 'openat', 'close', 'fstatfs', 'getdents64', 'exit_group'], action: 'SCMP_ACT_ALLOW' }], arches),
      );
      expect(more).to.equal(undefined);
      expect(issue).to.include({ severity: 'error', path: '/defaultAction' });
      expect(issue?.message)
        .to.match(/SCMP_ARCH_X86_64, SCMP_ARCH_AARCH64: it denies execve \(/)
        .and.not.match(/exit_group/);
      const noExit = starts(base([{ names: ['execve', 'write', 'openat', 'close', 'fstatfs', 'getdents64'], action: 'SCMP_ACT_ALLOW' }], arches));
      expect(noExit[0]?.message).to.match(/denies exit_group and exit \(/);
      const exitOnly = starts(base([{ names: ['execve', 'write', 'openat', 'close', 'fstatfs', 'getdents64', 'exit'], action: 'SCMP_ACT_ALLOW' }], arches));
      expect(exitOnly).to.deep.equal([]);
    });

    it('points at the rule that denies one, on the arches where it applies', () => {
      const p = base([startable(), { names: ['execve'], action: 'SCMP_ACT_KILL_PROCESS', includes: { arches: ['arm64'] } }], arches);
      const [issue] = starts(p);
      expect(issue).to.include({ path: '/syscalls/1' });
      expect(issue?.message).to.match(/on SCMP_ARCH_AARCH64: it denies execve/);
    });

    it('passes a profile that allows them, allow- and log-by-default profiles, and calls allowed under a condition', () => {
      expect(starts(base([startable()], arches))).to.deep.equal([]);
      expect(starts({ defaultAction: 'SCMP_ACT_ALLOW' })).to.deep.equal([]);
      expect(starts({ defaultAction: 'SCMP_ACT_LOG', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO' }] })).to.deep.equal([]);
      const conditional = base([
        { ...startable(), names: STARTUP_SYSCALLS.map((c) => c.names[0]!).filter((n) => n !== 'write') },
        { names: ['write'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 3, op: 'SCMP_CMP_LE' }] },
      ]);
      expect(starts(conditional)).to.deep.equal([]);
    });

    it("passes Docker's default profile (the catalog is checked in catalog.test.ts)", () => {
      expect(starts(loadFixture('docker-default.json'))).to.deep.equal([]);
    });
  });

  it('hasErrors is true only for error severity', () => {
    const issue = (severity: ProfileIssue['severity']): ProfileIssue => ({ severity, code: 'x', source: 's', path: '', message: 'm' });
    expect(hasErrors([issue('warning'), issue('info')])).to.equal(false);
    expect(hasErrors([issue('info'), issue('error')])).to.equal(true);
    expect(hasErrors([])).to.equal(false);
  });
});
