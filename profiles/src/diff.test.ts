import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { catalogDir } from './catalog.js';
import { diffProfiles, diffTargets } from './diff.js';
import { flatten } from './flatten.js';
import { parseProfile } from './parse.js';
import { loadFixture } from './testing/fixtures.js';
import type { SeccompProfile } from './model.js';

const catalog = (name: string): SeccompProfile => {
  const r = parseProfile(readFileSync(`${catalogDir()}${name}.json`), name);
  if (!r.ok) throw new Error(`${name} does not parse`);
  return r.profile;
};
const X86_64 = { arch: 'SCMP_ARCH_X86_64' as const, kernel: '6.8.0' };
const AARCH64 = { arch: 'SCMP_ARCH_AARCH64' as const, kernel: '6.8.0' };
const names = (d: ReturnType<typeof diffProfiles>['targets'][number], change: string) =>
  d.syscalls.filter((s) => s.changes.includes(change as never)).map((s) => s.name);

describe('diffProfiles', () => {
  const docker = loadFixture('docker-default.json');

  it("finds exactly what the catalog's runtime-default changed from Docker's default, per arch", () => {
    const out = diffProfiles(docker, catalog('runtime-default'), [X86_64, AARCH64]);
    for (const t of out.targets) {
      expect(names(t, 'allowed'), t.arch).to.deep.equal(['cachestat', 'fchmodat2', 'futex_requeue', 'futex_wait', 'futex_wake', 'map_shadow_stack']);
      expect(names(t, 'denied'), t.arch).to.deep.equal(['io_uring_enter', 'io_uring_register', 'io_uring_setup']);
      expect(t).to.not.have.any.keys('defaultAction', 'architectures', 'flags');
      expect(t.widens).to.equal(true);
    }
    expect(out.widens).to.equal(true);
    expect(out.equal).to.equal(false);
  });

  it("is equal for Docker's default and its own flattened form, on the node it was flattened for", () => {
    const flat = flatten(docker, X86_64);
    expect(diffProfiles(docker, flat, [X86_64])).to.deep.include({ equal: true, widens: false });
    // The flattened form kept only x86 rules: on aarch64 the arch-gated rules differ.
    expect(diffProfiles(docker, flat, [AARCH64]).equal).to.equal(false);
  });

  it('one syscall added: widens, named on every arch', () => {
    const rt = catalog('runtime-default');
    const more: SeccompProfile = { ...rt, syscalls: [...(rt.syscalls ?? []), { names: ['keyctl'], action: 'SCMP_ACT_ALLOW' }] };
    const out = diffProfiles(rt, more, [X86_64, AARCH64]);
    expect(out.targets.map((t) => [t.arch, names(t, 'allowed')])).to.deep.equal([
      ['SCMP_ARCH_X86_64', ['keyctl']],
      ['SCMP_ARCH_AARCH64', ['keyctl']],
    ]);
    expect(out.widens).to.equal(true);
    // The other way round it only narrows.
    const back = diffProfiles(more, rt, [X86_64]);
    expect(back).to.deep.include({ widens: false, equal: false });
    expect(names(back.targets[0]!, 'denied')).to.deep.equal(['keyctl']);
  });

  it('ignores order and grouping; reports action, errno, argument and default changes', () => {
    const a: SeccompProfile = {
      defaultAction: 'SCMP_ACT_ERRNO',
      architectures: ['SCMP_ARCH_X86_64'],
      syscalls: [
        { names: ['read', 'write'], action: 'SCMP_ACT_ALLOW' },
        { names: ['mkdir'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 },
        { names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 0, op: 'SCMP_CMP_EQ' }] },
      ],
    };
    const regrouped: SeccompProfile = {
      ...a,
      syscalls: [{ names: ['write'], action: 'SCMP_ACT_ALLOW' }, { names: ['read'], action: 'SCMP_ACT_ALLOW' }, a.syscalls![2]!],
    };
    expect(diffProfiles(a, regrouped).equal).to.equal(true);
    const b: SeccompProfile = {
      defaultAction: 'SCMP_ACT_KILL_PROCESS',
      architectures: ['SCMP_ARCH_X86_64'],
      syscalls: [
        { names: ['read'], action: 'SCMP_ACT_ALLOW' },
        { names: ['write'], action: 'SCMP_ACT_LOG' },
        { names: ['mkdir'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 },
        { names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 8, op: 'SCMP_CMP_EQ' }] },
      ],
    };
    const [t] = diffProfiles(a, b).targets;
    expect(t!.defaultAction).to.deep.equal({ from: 'SCMP_ACT_ERRNO(1)', to: 'SCMP_ACT_KILL_PROCESS', widens: false });
    expect(t!.syscalls.map((s) => [s.name, s.changes, s.widens])).to.deep.equal([
      ['mkdir', ['action'], false],
      ['personality', ['action', 'args'], true],
      ['write', ['action'], false],
    ]);
    expect(t!.syscalls.find((s) => s.name === 'mkdir')).to.deep.include({
      from: { action: 'SCMP_ACT_ERRNO(1)', conditions: [] },
      to: { action: 'SCMP_ACT_ERRNO(13)', conditions: [] },
    });
  });

  it('an allow-by-default B widens through its default', () => {
    const out = diffProfiles(catalog('nodejs-web'), catalog('audit-all'));
    expect(out.widens).to.equal(true);
    expect(out.targets.every((t) => t.defaultAction?.widens === true)).to.equal(true);
  });

  it('compares each native arch once, a listed sub-arch through its native one', () => {
    expect(diffTargets(catalog('runtime-default'), catalog('nodejs-web')).map((t) => t.arch)).to.deep.equal(['SCMP_ARCH_X86_64', 'SCMP_ARCH_AARCH64']);
    expect(diffTargets({ defaultAction: 'SCMP_ACT_ALLOW' }, { defaultAction: 'SCMP_ACT_ALLOW' }, '5.15.0')).to.deep.equal([
      { arch: 'SCMP_ARCH_X86_64', kernel: '5.15.0' },
      { arch: 'SCMP_ARCH_AARCH64', kernel: '5.15.0' },
    ]);
  });

  it('a newly covered sub-architecture widens (its calls reach the rules instead of the bad-arch action)', () => {
    const a: SeccompProfile = {
      defaultAction: 'SCMP_ACT_ERRNO',
      architectures: ['SCMP_ARCH_X86_64'],
      syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }],
    };
    const out = diffProfiles(a, { ...a, architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'] });
    expect(out.targets[0]!.architectures).to.deep.equal({ from: ['SCMP_ARCH_X86_64'], to: ['SCMP_ARCH_X86', 'SCMP_ARCH_X86_64'], widens: true });
  });
});
