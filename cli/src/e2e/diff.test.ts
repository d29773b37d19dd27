import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flatten, parseProfile, serializeProfile, type SeccompProfile } from '@kubectl-seccomp/profiles';
import type { DiffOutput } from '../output/types.js';
import { errorText, killStrayClis, runCli, runCliJson } from '../testing/run-cli.js';

const DOCKER_DEFAULT = fileURLToPath(new URL('../../../profiles/fixtures/docker-default.json', import.meta.url));

describe('kubectl seccomp diff (real CLI, real profiles)', () => {
  let tmp: string;
  let docker: SeccompProfile;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'cli-diff-'));
    const parsed = parseProfile(await readFile(DOCKER_DEFAULT), DOCKER_DEFAULT);
    if (!parsed.ok) throw new Error('docker-default.json does not parse');
    docker = parsed.profile;
  });
  after(() => rm(tmp, { recursive: true, force: true }));
  afterEach(killStrayClis);

  const write = async (name: string, p: SeccompProfile): Promise<string> => {
    const file = join(tmp, name);
    await writeFile(file, serializeProfile(p));
    return file;
  };

  it("exits 0 for Docker's default and its flattened form on the node kind it was flattened for", async () => {
    const flat = await write('flat.json', flatten(docker, { arch: 'SCMP_ARCH_X86_64', kernel: '6.8.0' }));
    const run = await runCliJson<DiffOutput>(['diff', DOCKER_DEFAULT, flat, '--arch', 'SCMP_ARCH_X86_64', '--kernel', '6.8.0', '--any-change']);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.json).to.deep.include({ a: DOCKER_DEFAULT, b: flat, equal: true, widens: false });
  });

  it('exits 1 when B allows one more syscall, naming it on every arch', async () => {
    const rt = flatten(docker, { arch: 'SCMP_ARCH_X86_64' });
    const more = await write('more.json', {
      ...rt,
      architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_AARCH64'],
      syscalls: [...(rt.syscalls ?? []), { names: ['keyctl'], action: 'SCMP_ACT_ALLOW' }],
    });
    const base = await write('base.json', { ...rt, architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_AARCH64'] });
    const run = await runCliJson<DiffOutput>(['diff', base, more]);
    expect(run.code, run.stderr).to.equal(1);
    expect(run.json.targets.map((t) => [t.arch, t.syscalls.map((s) => [s.name, s.changes, s.widens])])).to.deep.equal([
      ['SCMP_ARCH_X86_64', [['keyctl', ['allowed'], true]]],
      ['SCMP_ARCH_AARCH64', [['keyctl', ['allowed'], true]]],
    ]);
    const table = await runCli(['diff', base, more]);
    expect(table.code).to.equal(1);
    expect(table.stdout).to.match(/SCMP_ARCH_X86_64\n {2}\+ {2}keyctl {2}SCMP_ACT_ERRNO\(1\) -> SCMP_ACT_ALLOW {2}allowed\n/);
    expect(table.stdout).to.contain(`${more} allows calls ${base} does not`);
    // The other way round nothing is newly allowed: 0, unless any change counts.
    expect((await runCli(['diff', more, base])).code).to.equal(0);
    expect((await runCli(['diff', more, base, '--any-change'])).code).to.equal(1);
  });

  it('takes catalog names, and exits 2 naming what it cannot read', async () => {
    const run = await runCliJson<DiffOutput>(['diff', DOCKER_DEFAULT, 'runtime-default', '--arch', 'SCMP_ARCH_AARCH64']);
    expect(run.code).to.equal(1);
    expect(run.json.b).to.equal('catalog:runtime-default');
    expect(run.json.targets[0]!.syscalls.filter((s) => s.widens).map((s) => s.name)).to.include('cachestat');
    const missing = await runCli(['diff', join(tmp, 'nope.json'), 'runtime-default']);
    expect(missing.code).to.equal(2);
    expect(errorText(missing)).to.contain('nope.json: no such file, and no catalog profile of that name');
    const bad = await write('bad.json', { defaultAction: 'SCMP_ACT_PERMIT' } as unknown as SeccompProfile);
    const invalid = await runCli(['diff', bad, 'runtime-default']);
    expect(invalid.code).to.equal(2);
    expect(errorText(invalid)).to.contain('bad.json is not a valid profile');
  });
});
