import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { flatten, lintProfile, parseProfile, STARTUP_SYSCALLS, type SeccompProfile } from '@kubectl-seccomp/profiles';
import { runContainer } from '../harness/runc.js';
import { containerPrerequisites, skipUnless } from '../e2e/support.js';

/**
 * lint's cannot-start rule against the real runtime: Docker's default profile starts a container
 * under runc and passes; the same profile without any one of STARTUP_SYSCALLS fails lint and
 * really cannot start a container.
 */
const DOCKER_DEFAULT = fileURLToPath(new URL('../../../profiles/fixtures/docker-default.json', import.meta.url));

function without(profile: SeccompProfile, names: readonly string[]): SeccompProfile {
  const syscalls = (profile.syscalls ?? []).map((r) => ({ ...r, names: r.names?.filter((n) => !names.includes(n)) })).filter((r) => r.names?.length);
  return { ...profile, syscalls };
}

const cannotStart = (p: SeccompProfile) => lintProfile(p).filter((i) => i.code === 'cannot-start');

describe('lint cannot-start, checked with runc', function () {
  this.timeout(120_000);
  let base: SeccompProfile;

  before(async function () {
    skipUnless(this, await containerPrerequisites());
    const parsed = parseProfile(await readFile(DOCKER_DEFAULT), DOCKER_DEFAULT);
    if (!parsed.ok) throw new Error(`fixture does not parse: ${JSON.stringify(parsed.errors)}`);
    base = flatten(parsed.profile, { arch: 'SCMP_ARCH_X86_64' });
  });

  it("Docker's default profile passes and starts a container", async () => {
    expect(cannotStart(base)).to.deep.equal([]);
    const r = await runContainer({ profile: base, args: ['/bin/true'] });
    expect(r.exitCode, r.stderr).to.equal(0);
  });

  for (const { names } of STARTUP_SYSCALLS) {
    const label = names.join(' and ');
    it(`without ${label}: lint says it cannot start, and runc cannot start it`, async () => {
      const p = without(base, names);
      const [issue] = cannotStart(p);
      expect(issue?.message).to.include(`denies ${label} (`);
      const r = await runContainer({ profile: p, args: ['/bin/true'] });
      expect(r.exitCode, `${label} denied, yet the container ran: ${r.stderr}`).to.not.equal(0);
    });
  }
});
