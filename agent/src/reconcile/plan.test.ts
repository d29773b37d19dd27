import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flatten, parseProfile, serializeProfile, type FlattenTarget } from '@kubectl-seccomp/profiles';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { expect } from 'chai';
import { ProfileStore, type StoredProfile } from '../store/index.js';
import { ANNOTATION_PATH, DATA_KEY, LABEL_MANAGED_BY, LABEL_PROFILE, MANAGED_BY, PROFILE_SELECTOR } from '@kubectl-seccomp/proto';
import { planReconcile, reconcileProblems } from './plan.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/store/${name}`, import.meta.url));
const sha = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');
const X86: FlattenTarget = { arch: 'SCMP_ARCH_X86_64', kernel: '6.8.0-45-generic' };
const MAX = 256 * 1024;

function configMap(name: string, path: string | undefined, profile: string | undefined, labelled = true): V1ConfigMap {
  return {
    metadata: {
      name,
      namespace: 'seccomp-system',
      labels: labelled ? { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_PROFILE]: 'true' } : { app: 'other' },
      annotations: path === undefined ? {} : { [ANNOTATION_PATH]: path },
    },
    data: profile === undefined ? {} : { [DATA_KEY]: profile },
  };
}

/** What the agent must write for a ConfigMap's profile on the x86_64 test node. */
function expected(text: string, target: FlattenTarget = X86): Buffer {
  const parsed = parseProfile(text, 'expected');
  if (!parsed.ok) throw new Error('fixture does not parse');
  return Buffer.from(serializeProfile(flatten(parsed.profile, target)));
}

const stored = (path: string, bytes: Uint8Array, origin: StoredProfile['origin']): StoredProfile => ({
  path,
  sha256: sha(bytes),
  size: bytes.length,
  managed: origin !== '',
  error: '',
  changedUnixMs: 0,
  origin,
});

describe('planReconcile', function () {
  let plain: string;
  let docker: string;
  let invalid: string;
  before(async function () {
    plain = await readFile(fixture('allow-read.json'), 'utf8');
    docker = await readFile(fixture('docker-arch.json'), 'utf8');
    invalid = await readFile(fixture('invalid-action.json'), 'utf8');
  });

  it('the selector is the two contract labels', function () {
    expect(PROFILE_SELECTOR).to.equal('app.kubernetes.io/managed-by=kubectl-seccomp,kubectl-seccomp.io/profile=true');
  });

  it('sends the flattened bytes of a profile the node does not have, and prunes', function () {
    const { request, skipped } = planReconcile([configMap('web', 'team/web.json', plain)], [], X86, MAX);
    expect(skipped).to.deep.equal([]);
    expect(request).to.deep.equal({
      files: [{ path: 'team/web.json', content: expected(plain) }],
      unchanged: [],
      prune: true,
      dryRun: false,
    });
  });

  it('flattens a Docker-format profile for the node it runs on', function () {
    const onX86 = planReconcile([configMap('d', 'd.json', docker)], [], X86, MAX).request.files[0]?.content;
    const onArm = planReconcile([configMap('d', 'd.json', docker)], [], { arch: 'SCMP_ARCH_AARCH64' }, MAX).request.files[0]?.content;
    expect(onX86).to.deep.equal(expected(docker));
    const x86 = JSON.parse(Buffer.from(onX86 as Uint8Array).toString()) as { architectures: string[]; syscalls: { names: string[] }[] };
    expect(x86.architectures).to.deep.equal(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
    expect(x86.syscalls.flatMap((r) => r.names)).to.deep.equal(['read', 'write', 'exit_group', 'arch_prctl']);
    expect(JSON.parse(Buffer.from(onArm as Uint8Array).toString())).to.deep.include({ architectures: ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'] });
  });

  it('names a managed file that already matches instead of sending its bytes', function () {
    const { request } = planReconcile([configMap('web', 'web.json', plain)], [stored('web.json', expected(plain), 'direct')], X86, MAX);
    expect(request.files).to.deep.equal([]);
    expect(request.unchanged).to.deep.equal([{ path: 'web.json', sha256: sha(expected(plain)) }]);
  });

  it('rewrites a file edited by hand, and sends bytes for an identical file that is not ours yet', function () {
    const { request } = planReconcile(
      [configMap('a', 'a.json', plain), configMap('b', 'b.json', plain)],
      [stored('a.json', Buffer.from('{}'), 'configmap'), stored('b.json', expected(plain), '')],
      X86,
      MAX,
    );
    expect(request.files.map((f) => f.path)).to.deep.equal(['a.json', 'b.json']);
    expect(request.unchanged).to.deep.equal([]);
  });

  it('ignores ConfigMaps without the profile labels', function () {
    const { request, skipped } = planReconcile([configMap('x', 'x.json', plain, false)], [], X86, MAX);
    expect(request.files).to.deep.equal([]);
    expect(skipped).to.deep.equal([]);
  });

  it('skips unusable ConfigMaps with the reason, keeping the file a broken one had written', function () {
    const { request, skipped } = planReconcile(
      [
        configMap('no-path', undefined, plain),
        configMap('traversal', '../../etc/x.json', plain),
        configMap('no-data', 'empty.json', undefined),
        configMap('broken', 'broken.json', invalid),
      ],
      [stored('broken.json', expected(plain), 'configmap')],
      X86,
      MAX,
    );
    expect(skipped).to.deep.equal([
      { configMap: 'seccomp-system/broken', reason: skipped[0]?.reason },
      { configMap: 'seccomp-system/no-data', reason: 'no data key profile.json' },
      { configMap: 'seccomp-system/no-path', reason: 'no kubectl-seccomp.io/path annotation' },
      { configMap: 'seccomp-system/traversal', reason: 'kubectl-seccomp.io/path "../../etc/x.json": ".." segment not allowed' },
    ]);
    expect(skipped[0]?.reason).to.match(/^profile\.json: \/syscalls\/0\/action: /);
    expect(request.files).to.deep.equal([]);
    expect(request.unchanged).to.deep.equal([{ path: 'broken.json', sha256: sha(expected(plain)) }]);
  });

  it('skips a 40 KB nested ConfigMap and converges the others', function () {
    const deep = `{"defaultAction":"SCMP_ACT_ALLOW","x":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    const cms = [configMap('a-web', 'web.json', plain), configMap('b-deep', 'deep.json', deep), configMap('c-db', 'db.json', plain)];
    const { request, skipped } = planReconcile(cms, [], X86, MAX);
    expect(request.files.map((f) => f.path)).to.deep.equal(['web.json', 'db.json']);
    expect(skipped).to.have.length(1);
    expect(skipped[0]?.configMap).to.equal('seccomp-system/b-deep');
    expect(skipped[0]?.reason).to.match(/nested deeper than 32 levels/);
  });

  it('skips a ConfigMap whose path is outside the write prefix, and converges the others', function () {
    const cms = [configMap('a', 'kubectl-seccomp/a.json', plain), configMap('b', 'elsewhere.json', plain)];
    const { request, skipped } = planReconcile(cms, [], X86, MAX, 'kubectl-seccomp');
    expect(request.files.map((f) => f.path)).to.deep.equal(['kubectl-seccomp/a.json']);
    expect(skipped).to.deep.equal([
      { configMap: 'seccomp-system/b', reason: 'kubectl-seccomp.io/path "elsewhere.json": outside kubectl-seccomp/, the only dir this agent writes to' },
    ]);
  });

  it('gives a path claimed by two ConfigMaps to the first by name, on every node alike', function () {
    const { request, skipped } = planReconcile([configMap('zeta', 'p.json', docker), configMap('alpha', 'p.json', plain)], [], X86, MAX);
    expect(request.files).to.deep.equal([{ path: 'p.json', content: expected(plain) }]);
    expect(skipped).to.deep.equal([{ configMap: 'seccomp-system/zeta', reason: 'path p.json is already taken by ConfigMap seccomp-system/alpha' }]);
  });

  it('skips a profile too large for the store', function () {
    const { request, skipped } = planReconcile([configMap('big', 'big.json', plain)], [], X86, 16);
    expect(request.files).to.deep.equal([]);
    expect(skipped[0]?.reason).to.match(/bytes after flattening; at most 16 allowed$/);
  });

  describe('reconcileProblems', function () {
    it('is complete when every planned file reads back with its bytes, prune errors aside', function () {
      const plan = planReconcile(
        [configMap('web', 'web.json', plain), configMap('db', 'db.json', plain)],
        [stored('db.json', expected(plain), 'configmap')],
        X86,
        MAX,
      );
      const after = [stored('db.json', expected(plain), 'configmap'), stored('web.json', expected(plain), 'configmap')];
      const pruneError = { path: 'old.json', outcome: 'error' as const, sha256: '', error: 'edited by hand' };
      expect(reconcileProblems(plan, [pruneError], after)).to.deep.equal([]);
    });
    it('names skipped ConfigMaps, failed writes, missing and different files', function () {
      const plan = planReconcile(
        [configMap('a', 'a.json', plain), configMap('b', 'b.json', plain), configMap('c', 'c.json', plain), configMap('d', 'd.json', invalid)],
        [],
        X86,
        MAX,
      );
      const results = [{ path: 'a.json', outcome: 'error' as const, sha256: '', error: 'EEXIST' }];
      const after = [stored('c.json', Buffer.from('{}'), 'configmap')];
      const problems = reconcileProblems(plan, results, after);
      expect(problems[0]).to.match(/^seccomp-system\/d: profile\.json: /);
      expect(problems.slice(1)).to.deep.equal(['a.json: EEXIST', 'b.json: missing after writing', 'c.json: does not read back as written']);
    });
  });

  describe('applied to a real store', function () {
    let tmp: string;
    beforeEach(async function () {
      tmp = await mkdtemp(join(tmpdir(), 'reconcile-test-'));
    });
    afterEach(async function () {
      await rm(tmp, { recursive: true, force: true });
    });

    it('converges, repairs a hand-deleted file, and prunes only what ConfigMaps put there', async function () {
      const store = new ProfileStore({ root: tmp });
      const converge = async (cms: V1ConfigMap[]) => store.sync(planReconcile(cms, await store.inventory(), X86, MAX).request, { origin: 'configmap' });
      await store.sync({ files: [{ path: 'direct.json', content: Buffer.from(plain) }], unchanged: [], prune: false, dryRun: false });
      await writeFile(join(tmp, 'theirs.json'), plain);

      const cms = [configMap('web', 'web.json', plain), configMap('db', 'db/db.json', docker)];
      expect((await converge(cms)).map((r) => [r.path, r.outcome])).to.deep.equal([
        ['db/db.json', 'created'],
        ['web.json', 'created'],
      ]);
      expect(await readFile(join(tmp, 'db/db.json'))).to.deep.equal(expected(docker));
      expect((await converge(cms)).map((r) => r.outcome)).to.deep.equal(['unchanged', 'unchanged']);

      await rm(join(tmp, 'web.json'));
      expect((await converge(cms)).map((r) => [r.path, r.outcome])).to.deep.equal([
        ['db/db.json', 'unchanged'],
        ['web.json', 'created'],
      ]);

      expect((await converge([configMap('db', 'db/db.json', docker)])).map((r) => [r.path, r.outcome])).to.deep.equal([
        ['db/db.json', 'unchanged'],
        ['web.json', 'deleted'],
      ]);
      expect(existsSync(join(tmp, 'direct.json'))).to.equal(true);
      expect(existsSync(join(tmp, 'theirs.json'))).to.equal(true);
    });
  });
});
