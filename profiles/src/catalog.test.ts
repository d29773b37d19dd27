import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { catalogDir, loadCatalog } from './catalog.js';
import { formatIssue, hasErrors } from './issues.js';
import { lintProfile } from './lint.js';
import { serializeProfile } from './canonical.js';
import { flatten } from './flatten.js';
import type { SeccompProfile } from './model.js';

const EXPECTED = ['runtime-default', 'nodejs-web', 'debug-shell', 'audit-all', 'deny-mkdir', 'seccomp-agent'];

describe('catalog', () => {
  it('lives in profiles/catalog and indexes every profile file there', async () => {
    expect(statSync(catalogDir()).isDirectory()).to.equal(true);
    const entries = await loadCatalog();
    expect(entries.map((e) => e.name)).to.deep.equal(EXPECTED);
    const files = readdirSync(catalogDir());
    expect(entries.map((e) => e.file.slice(catalogDir().length)).sort()).to.deep.equal(files.sort());
    for (const e of entries) expect(e.description.length, e.name).to.be.greaterThan(20);
  });

  it("the README table carries each profile's description", async () => {
    const readme = readFileSync(join(catalogDir(), '..', 'README.md'), 'utf8');
    for (const e of await loadCatalog()) {
      expect(readme, e.name).to.contain(`| \`${e.name}\` | \`${e.file.slice(catalogDir().length)}\` | ${e.description} |`);
    }
  });

  it('every profile parses and lints without errors', async () => {
    for (const e of await loadCatalog()) {
      const issues = lintProfile(e.profile, { source: e.file });
      expect(hasErrors(issues), issues.map(formatIssue).join('\n')).to.equal(false);
      // Calls of one architecture listed for all (as the runtimes' defaults do) are reported per arch; a
      // name no listed architecture has may not be shipped.
      const noMatch = issues.filter((i) => i.code === 'unknown-syscall' || (i.code === 'syscall-not-on-arch' && i.severity === 'error'));
      expect(noMatch.map(formatIssue)).to.deep.equal([]);
    }
  });

  it('every profile is stored exactly as serializeProfile writes it, already flat', async () => {
    for (const e of await loadCatalog()) {
      expect(e.text, e.name).to.equal(serializeProfile(e.profile));
      expect(flatten(e.profile, { arch: 'SCMP_ARCH_X86_64' }), e.name).to.deep.equal(e.profile);
    }
  });

  it('each profile does what its name says', async () => {
    const byName = new Map((await loadCatalog()).map((e) => [e.name, e.profile]));
    const get = (n: string) => byName.get(n) as SeccompProfile;
    const allowedNames = (p: SeccompProfile) =>
      new Set((p.syscalls ?? []).filter((r) => r.action === 'SCMP_ACT_ALLOW' && !r.args).flatMap((r) => r.names ?? []));

    const rd = get('runtime-default');
    expect(rd.defaultAction).to.equal('SCMP_ACT_ERRNO');
    expect(allowedNames(rd).has('mount')).to.equal(false);
    expect(allowedNames(rd).has('io_uring_setup')).to.equal(false);
    expect(allowedNames(rd).has('openat')).to.equal(true);

    const node = get('nodejs-web');
    for (const n of ['epoll_wait', 'epoll_pwait', 'futex', 'mprotect', 'statx', 'getrandom', 'execve']) expect(allowedNames(node).has(n), n).to.equal(true);
    for (const n of ['io_uring_setup', 'mount', 'ptrace', 'unshare']) expect(allowedNames(node).has(n), n).to.equal(false);
    expect(node.flags).to.include('SECCOMP_FILTER_FLAG_LOG');

    const debug = get('debug-shell');
    for (const n of ['ptrace', 'personality', 'chroot', 'capget', 'capset']) expect(allowedNames(debug).has(n), n).to.equal(true);
    expect([...allowedNames(rd)].every((n) => allowedNames(debug).has(n))).to.equal(true);

    expect(get('audit-all').defaultAction).to.equal('SCMP_ACT_LOG');

    const deny = get('deny-mkdir');
    expect(deny.defaultAction).to.equal('SCMP_ACT_ALLOW');
    expect(deny.flags).to.include('SECCOMP_FILTER_FLAG_LOG');
    expect(deny.syscalls).to.deep.equal([{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 }]);
  });
});
