import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentError, type SyncProfilesRequest } from '@kubectl-seccomp/proto';
import { expect } from 'chai';
import { ProfileStore, type StoreOptions } from './index.js';
import { SETTLE_MS } from './stamp-cache.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/store/${name}`, import.meta.url));
const sha = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

const request = (over: Partial<SyncProfilesRequest>): SyncProfilesRequest => ({
  files: [],
  unchanged: [],
  prune: false,
  dryRun: false,
  ...over,
});

/** Every path under dir (hidden ones included) with its content hash, for "nothing changed" checks. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = join(entry.parentPath, entry.name);
    const rel = full.slice(dir.length + 1);
    out[rel] = entry.isFile() ? sha(await readFile(full)) : entry.isSymbolicLink() ? 'symlink' : 'dir';
  }
  return out;
}

async function rejection(p: Promise<unknown>): Promise<AgentError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(AgentError);
    return err as AgentError;
  }
  expect.fail('expected the request to be refused');
}

describe('ProfileStore', function () {
  let tmp: string;
  let root: string;
  let A: Buffer;
  let B: Buffer;
  const store = (opts: Partial<StoreOptions> = {}): ProfileStore => new ProfileStore({ root, ...opts });

  before(async function () {
    A = await readFile(fixture('allow-read.json'));
    B = await readFile(fixture('log-all.json'));
  });
  beforeEach(async function () {
    tmp = await mkdtemp(join(tmpdir(), 'store-test-'));
    root = join(tmp, 'seccomp');
  });
  afterEach(async function () {
    await rm(tmp, { recursive: true, force: true });
  });

  describe('sync', function () {
    it('creates files and parent dirs with profile-readable modes', async function () {
      const results = await store().sync(
        request({
          files: [
            { path: 'team/web/a.json', content: A },
            { path: 'b.json', content: B },
          ],
        }),
      );
      expect(results).to.deep.equal([
        { path: 'b.json', outcome: 'created', sha256: sha(B), error: '' },
        { path: 'team/web/a.json', outcome: 'created', sha256: sha(A), error: '' },
      ]);
      expect(await readFile(join(root, 'team/web/a.json'))).to.deep.equal(A);
      expect((await stat(join(root, 'team/web/a.json'))).mode & 0o777).to.equal(0o644);
      expect((await stat(join(root, 'team'))).mode & 0o777).to.equal(0o755);
      expect((await stat(join(root, 'team/web'))).mode & 0o777).to.equal(0o755);
    });

    it('reports unchanged and does not rewrite a file with the same content', async function () {
      const s = store();
      await s.sync(request({ files: [{ path: 'a.json', content: A }] }));
      const before = await stat(join(root, 'a.json'));
      const results = await s.sync(request({ files: [{ path: 'a.json', content: A }] }));
      expect(results).to.deep.equal([{ path: 'a.json', outcome: 'unchanged', sha256: sha(A), error: '' }]);
      expect((await stat(join(root, 'a.json'))).ino).to.equal(before.ino);
    });

    it('updates a file whose content differs', async function () {
      const s = store();
      await s.sync(request({ files: [{ path: 'a.json', content: A }] }));
      const results = await s.sync(request({ files: [{ path: 'a.json', content: B }] }));
      expect(results).to.deep.equal([{ path: 'a.json', outcome: 'updated', sha256: sha(B), error: '' }]);
      expect(await readFile(join(root, 'a.json'))).to.deep.equal(B);
    });

    it('accepts unchanged refs that match the disk and flags those that do not', async function () {
      const s = store();
      await s.sync(
        request({
          files: [
            { path: 'a.json', content: A },
            { path: 'b.json', content: B },
          ],
        }),
      );
      await writeFile(join(root, 'b.json'), A);
      const results = await s.sync(
        request({
          unchanged: [
            { path: 'a.json', sha256: sha(A) },
            { path: 'b.json', sha256: sha(B) },
            { path: 'gone.json', sha256: sha(B) },
          ],
        }),
      );
      expect(results).to.deep.equal([
        { path: 'a.json', outcome: 'unchanged', sha256: sha(A), error: '' },
        { path: 'b.json', outcome: 'error', sha256: sha(A), error: 'changed since listed; push again' },
        { path: 'gone.json', outcome: 'error', sha256: '', error: 'missing on the node; push again' },
      ]);
    });

    it('sees a file rewritten in place by someone else even with the same size and mtime, once its digest is cached', async function () {
      this.timeout(10_000);
      const s = store();
      // Same length as A, different bytes, still valid JSON only if A is: the listing must say so.
      const edited = Buffer.from(A.toString('utf8').replace(/\{/, '['));
      expect(edited.length).to.equal(A.length);
      await s.sync(request({ files: [{ path: 'a.json', content: A }] }));
      // Cached only once the file is older than the timestamp granularity margin.
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS + 200));
      expect(await s.sync(request({ unchanged: [{ path: 'a.json', sha256: sha(A) }] }))).to.deep.equal([
        { path: 'a.json', outcome: 'unchanged', sha256: sha(A), error: '' },
      ]);
      expect((await s.list()).map((p) => [p.path, p.sha256, p.error])).to.deep.equal([['a.json', sha(A), '']]);
      // The mtime put back to the nanosecond (touch -r: utimensat), as a careful editor or a tar extract would.
      const file = join(root, 'a.json');
      const saved = join(tmp, 'mtime-ref');
      await writeFile(saved, '');
      execFileSync('touch', ['-r', file, saved]);
      const before = await stat(file, { bigint: true });
      await writeFile(file, edited);
      execFileSync('touch', ['-r', saved, file]);
      const after = await stat(file, { bigint: true });
      expect([after.ino, after.size, after.mtimeNs]).to.deep.equal([before.ino, before.size, before.mtimeNs]);
      expect(await s.sync(request({ unchanged: [{ path: 'a.json', sha256: sha(A) }] }))).to.deep.equal([
        { path: 'a.json', outcome: 'error', sha256: sha(edited), error: 'changed since listed; push again' },
      ]);
      const [listed] = await s.list();
      expect(listed?.sha256).to.equal(sha(edited));
      expect(listed?.error).to.not.equal('');
    });

    it('prunes managed files not named, and never a file someone else put there', async function () {
      const s = store();
      await s.sync(
        request({
          files: [
            { path: 'a.json', content: A },
            { path: 'old/b.json', content: B },
          ],
        }),
      );
      await writeFile(join(root, 'theirs.json'), B);
      await mkdir(join(root, 'vendor'));
      await writeFile(join(root, 'vendor/x.json'), A);
      const results = await s.sync(request({ unchanged: [{ path: 'a.json', sha256: sha(A) }], prune: true }));
      expect(results).to.deep.equal([
        { path: 'a.json', outcome: 'unchanged', sha256: sha(A), error: '' },
        { path: 'old/b.json', outcome: 'deleted', sha256: '', error: '' },
      ]);
      expect(existsSync(join(root, 'old/b.json'))).to.equal(false);
      expect(await readFile(join(root, 'theirs.json'))).to.deep.equal(B);
      expect(await readFile(join(root, 'vendor/x.json'))).to.deep.equal(A);
    });

    it('does not prune a managed file edited by hand; it reports it and lets it go', async function () {
      const s = store();
      await s.sync(request({ files: [{ path: 'a.json', content: A }] }));
      await writeFile(join(root, 'a.json'), B);
      const results = await s.sync(request({ prune: true }));
      expect(results).to.deep.equal([
        { path: 'a.json', outcome: 'error', sha256: sha(B), error: 'modified outside kubectl-seccomp; not deleted, no longer managed' },
      ]);
      expect(await readFile(join(root, 'a.json'))).to.deep.equal(B);
      expect((await s.list()).map((p) => [p.path, p.managed])).to.deep.equal([['a.json', false]]);
      expect(await s.sync(request({ prune: true }))).to.deep.equal([]);
    });

    it('does not overwrite a file someone else put there unless forced, and then reports it adopted', async function () {
      await mkdir(root, { recursive: true });
      await writeFile(join(root, 'theirs.json'), A);
      const s = store();
      expect(await s.sync(request({ files: [{ path: 'theirs.json', content: B }] }))).to.deep.equal([
        {
          path: 'theirs.json',
          outcome: 'error',
          sha256: sha(A),
          error: 'exists and was not written by kubectl-seccomp; not overwritten (push --force adopts it)',
        },
      ]);
      expect(await readFile(join(root, 'theirs.json'))).to.deep.equal(A);
      expect((await s.list())[0]?.managed).to.equal(false);
      // Nothing was adopted, so a prune still leaves it alone.
      await s.sync(request({ prune: true }));
      expect(existsSync(join(root, 'theirs.json'))).to.equal(true);

      expect(await s.sync(request({ files: [{ path: 'theirs.json', content: B }], force: true }))).to.deep.equal([
        { path: 'theirs.json', outcome: 'adopted', sha256: sha(B), error: '' },
      ]);
      expect(await readFile(join(root, 'theirs.json'))).to.deep.equal(B);
      expect((await s.list())[0]?.managed).to.equal(true);
    });

    it('writes only under its prefix dir when given one', async function () {
      const s = store({ writePrefix: 'kubectl-seccomp' });
      const err = await rejection(s.sync(request({ files: [{ path: 'web.json', content: A }] })));
      expect(err.code).to.equal('invalid-argument');
      expect(err.message).to.match(/outside kubectl-seccomp\//);
      expect((await s.sync(request({ files: [{ path: 'kubectl-seccomp/web.json', content: A }] })))[0]?.outcome).to.equal('created');
    });

    it('a ConfigMap-driven prune removes only files that came from ConfigMaps', async function () {
      const s = store();
      await s.sync(request({ files: [{ path: 'direct.json', content: A }] }));
      await s.sync(request({ files: [{ path: 'cm.json', content: B }] }), { origin: 'configmap' });
      const results = await s.sync(request({ prune: true }), { origin: 'configmap' });
      expect(results).to.deep.equal([{ path: 'cm.json', outcome: 'deleted', sha256: '', error: '' }]);
      expect(existsSync(join(root, 'direct.json'))).to.equal(true);
    });

    it('a dry run reports what the real sync then does, and changes nothing', async function () {
      const s = store();
      await s.sync(
        request({
          files: [
            { path: 'keep.json', content: A },
            { path: 'drop.json', content: A },
            { path: 'upd.json', content: A },
          ],
        }),
      );
      await writeFile(join(root, 'edited.json'), A);
      const req = request({
        files: [
          { path: 'upd.json', content: B },
          { path: 'new/dir/c.json', content: B },
          { path: 'keep.json', content: A },
        ],
        prune: true,
      });
      const before = await snapshot(root);
      const dry = await s.sync({ ...req, dryRun: true });
      expect(await snapshot(root)).to.deep.equal(before);
      const real = await s.sync(req);
      expect(dry).to.deep.equal(real);
      expect(real.map((r) => [r.path, r.outcome])).to.deep.equal([
        ['drop.json', 'deleted'],
        ['keep.json', 'unchanged'],
        ['new/dir/c.json', 'created'],
        ['upd.json', 'updated'],
      ]);
    });

    it('a dry run on a fresh node writes no index and creates no dirs below the root', async function () {
      await store().sync(request({ files: [{ path: 'x/y.json', content: A }], dryRun: true }));
      expect(await readdir(root)).to.deep.equal([]);
    });

    it('runs concurrent syncs one after the other, in call order', async function () {
      const s = store();
      const [first, second] = await Promise.all([
        s.sync(request({ files: [{ path: 'a.json', content: A }] })),
        s.sync(request({ files: [{ path: 'a.json', content: B }] })),
      ]);
      expect(first).to.deep.equal([{ path: 'a.json', outcome: 'created', sha256: sha(A), error: '' }]);
      expect(second).to.deep.equal([{ path: 'a.json', outcome: 'updated', sha256: sha(B), error: '' }]);
      expect(await readFile(join(root, 'a.json'))).to.deep.equal(B);
    });

    it('a refused request does not block the queue', async function () {
      const s = store();
      const bad = s.sync(request({ files: [{ path: '../x.json', content: A }] }));
      const good = s.sync(request({ files: [{ path: 'a.json', content: A }] }));
      expect((await rejection(bad)).code).to.equal('invalid-argument');
      expect((await good)[0]?.outcome).to.equal('created');
    });
  });

  describe('refuses the whole request and changes nothing', function () {
    const badPaths: [string, RegExp][] = [
      ['../x.json', /"\.\." segment not allowed/],
      ['a/../../x.json', /"\.\." segment not allowed/],
      ['/etc/x.json', /absolute path/],
      ['a\\x.json', /backslash/],
      ['a\0.json', /NUL/],
      ['.hidden.json', /hidden name/],
      ['.kubectl-seccomp/index.json', /hidden name/],
      ['a//x.json', /empty path segment/],
      ['./x.json', /"\." segment not allowed/],
      ['x.yaml', /must end in \.json/],
      ['a b.json', /may only hold/],
      ['', /empty path/],
      [`${'d/'.repeat(8)}x.json`, /deeper than 8/],
      [`${'x'.repeat(256)}.json`, /segment longer than 255/],
      [`${`${'x'.repeat(200)}/`.repeat(6)}x.json`, /longer than 1024 bytes/],
    ];
    for (const [path, why] of badPaths) {
      it(`refuses the path ${JSON.stringify(path.length > 40 ? `${path.slice(0, 40)}…` : path)}`, async function () {
        const err = await rejection(
          store().sync(
            request({
              files: [
                { path: 'ok.json', content: A },
                { path, content: A },
              ],
            }),
          ),
        );
        expect(err.code).to.equal('invalid-argument');
        expect(err.message).to.match(why);
        expect(existsSync(join(root, 'ok.json'))).to.equal(false);
      });
    }

    it('refuses a bad path in unchanged too', async function () {
      const err = await rejection(store().sync(request({ unchanged: [{ path: '../x.json', sha256: sha(A) }] })));
      expect(err.message).to.match(/^\.\.\/x\.json: /);
    });

    it('refuses an invalid profile, naming the file and the JSON path', async function () {
      const bad = await readFile(fixture('invalid-action.json'));
      const err = await rejection(
        store().sync(
          request({
            files: [
              { path: 'ok.json', content: A },
              { path: 'profiles/x.json', content: bad },
            ],
          }),
        ),
      );
      expect(err.code).to.equal('invalid-argument');
      expect(err.message).to.match(/^profiles\/x\.json: \/syscalls\/0\/action: /);
      expect(existsSync(root) ? await readdir(root) : []).to.deep.equal([]);
    });

    it('refuses a 40 KB nested profile as invalid-argument, not internal', async function () {
      const deep = Buffer.from(`{"defaultAction":"SCMP_ACT_ALLOW","x":${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
      const err = await rejection(store().sync(request({ files: [{ path: 'deep.json', content: deep }] })));
      expect(err.code).to.equal('invalid-argument');
      expect(err.message).to.match(/^deep\.json: .*nested deeper than/);
    });

    it('refuses bytes that are not JSON at all', async function () {
      const err = await rejection(store().sync(request({ files: [{ path: 'x.json', content: Buffer.from('{"defaultAction":') }] })));
      expect(err.message).to.match(/^x\.json: /);
    });

    it('refuses an oversize profile', async function () {
      const err = await rejection(store({ maxProfileBytes: 64 }).sync(request({ files: [{ path: 'a.json', content: A }] })));
      expect(err.message).to.match(/^a\.json: \d+ bytes; a profile may hold at most 64/);
    });

    it('refuses an oversize request', async function () {
      const files = ['a', 'b', 'c'].map((n) => ({ path: `${n}.json`, content: A }));
      const err = await rejection(store({ maxRequestBytes: 2 * A.length }).sync(request({ files })));
      expect(err.message).to.match(/request carries \d+ bytes/);
      expect(existsSync(join(root, 'a.json'))).to.equal(false);
    });

    it('refuses too many files', async function () {
      const err = await rejection(
        store({ maxFiles: 2 }).sync(
          request({
            files: [
              { path: 'a.json', content: A },
              { path: 'b.json', content: A },
            ],
            unchanged: [{ path: 'c.json', sha256: sha(A) }],
          }),
        ),
      );
      expect(err.message).to.match(/names 3 files; at most 2/);
    });

    it('refuses a duplicate path', async function () {
      const err = await rejection(
        store().sync(
          request({
            files: [
              { path: 'a.json', content: A },
              { path: 'a.json', content: B },
            ],
          }),
        ),
      );
      expect(err.message).to.equal('a.json: named more than once in the request');
    });

    it('refuses a path both in files and unchanged', async function () {
      const err = await rejection(store().sync(request({ files: [{ path: 'a.json', content: A }], unchanged: [{ path: 'a.json', sha256: sha(A) }] })));
      expect(err.message).to.equal('a.json: named more than once in the request');
    });

    it('refuses a file where another entry needs a directory', async function () {
      const err = await rejection(
        store().sync(
          request({
            files: [
              { path: 'a.json', content: A },
              { path: 'a.json/b.json', content: B },
            ],
          }),
        ),
      );
      expect(err.message).to.equal('a.json/b.json: needs a.json to be a directory, but the request names it as a file');
    });

    it('refuses an unchanged ref without a proper sha256', async function () {
      const err = await rejection(store().sync(request({ unchanged: [{ path: 'a.json', sha256: 'ABC' }] })));
      expect(err.message).to.match(/lowercase hex sha256/);
    });
  });

  describe('symlinks', function () {
    let outside: string;
    beforeEach(async function () {
      outside = join(tmp, 'outside');
      await mkdir(outside);
      await mkdir(root);
    });

    it('never writes through a symlinked dir inside the root; other files still go through', async function () {
      await symlink(outside, join(root, 'link'));
      const results = await store().sync(
        request({
          files: [
            { path: 'link/x.json', content: A },
            { path: 'fine.json', content: A },
          ],
        }),
      );
      expect(results).to.deep.equal([
        { path: 'fine.json', outcome: 'created', sha256: sha(A), error: '' },
        { path: 'link/x.json', outcome: 'error', sha256: '', error: 'link is a symbolic link; not followed' },
      ]);
      expect(await readdir(outside)).to.deep.equal([]);
    });

    it('never writes through a symlinked file, and leaves its target alone', async function () {
      await writeFile(join(outside, 'target.json'), B);
      await symlink(join(outside, 'target.json'), join(root, 's.json'));
      const results = await store().sync(request({ files: [{ path: 's.json', content: A }] }));
      expect(results).to.deep.equal([{ path: 's.json', outcome: 'error', sha256: '', error: 's.json is a symbolic link; not followed' }]);
      expect(await readFile(join(outside, 'target.json'))).to.deep.equal(B);
      expect((await lstat(join(root, 's.json'))).isSymbolicLink()).to.equal(true);
    });

    it('reports a regular file where a directory is needed', async function () {
      await writeFile(join(root, 'a'), 'x');
      const results = await store().sync(request({ files: [{ path: 'a/x.json', content: A }] }));
      expect(results).to.deep.equal([{ path: 'a/x.json', outcome: 'error', sha256: '', error: 'a is not a directory' }]);
    });

    it('does not prune a managed file that was replaced by a symlink', async function () {
      const s = store();
      await s.sync(request({ files: [{ path: 'p.json', content: A }] }));
      await writeFile(join(outside, 'keep.json'), A);
      await rm(join(root, 'p.json'));
      await symlink(join(outside, 'keep.json'), join(root, 'p.json'));
      const results = await s.sync(request({ prune: true }));
      expect(results).to.deep.equal([{ path: 'p.json', outcome: 'error', sha256: '', error: 'p.json is a symbolic link; not followed; not deleted' }]);
      expect(await readFile(join(outside, 'keep.json'))).to.deep.equal(A);
    });
  });

  describe('list', function () {
    it('reports managed, unmanaged, invalid and symlinked files, skipping hidden ones', async function () {
      const s = store();
      await s.sync(request({ files: [{ path: 'ours/a.json', content: A }] }));
      await writeFile(join(root, 'theirs.json'), B);
      await writeFile(join(root, 'broken.json'), await readFile(fixture('invalid-action.json')));
      await writeFile(join(root, 'notes.txt'), 'not a profile');
      await writeFile(join(root, '.hidden.json'), A);
      await symlink('/etc/hostname', join(root, 'link.json'));
      const listed = await s.list();
      expect(listed.map((p) => p.path)).to.deep.equal(['broken.json', 'link.json', 'ours/a.json', 'theirs.json']);
      const byPath = new Map(listed.map((p) => [p.path, p]));
      const changed = async (path: string) => Number((await stat(join(root, path), { bigint: true })).ctimeNs / 1_000_000n);
      expect(byPath.get('ours/a.json')).to.deep.equal({
        path: 'ours/a.json',
        sha256: sha(A),
        size: A.length,
        managed: true,
        error: '',
        changedUnixMs: await changed('ours/a.json'),
      });
      expect(byPath.get('theirs.json')).to.deep.equal({
        path: 'theirs.json',
        sha256: sha(B),
        size: B.length,
        managed: false,
        error: '',
        changedUnixMs: await changed('theirs.json'),
      });
      expect(byPath.get('broken.json')?.error).to.match(/^\/syscalls\/0\/action: /);
      expect(byPath.get('link.json')).to.deep.include({ managed: false, error: 'symbolic link; not followed' });
    });

    it('reports a file too large to be a profile without parsing it', async function () {
      await mkdir(root);
      await writeFile(join(root, 'huge.json'), Buffer.alloc(300, 0x20));
      const [huge] = await store({ maxProfileBytes: 100 }).list();
      expect(huge).to.deep.include({ path: 'huge.json', size: 300, error: 'larger than 100 bytes' });
    });

    it('init() refuses a root that is not a directory', async function () {
      await writeFile(root, 'not a dir');
      const err = await rejection(store().init());
      expect(err.code).to.equal('failed-precondition');
      expect(err.message).to.equal(`profile dir ${root}: open failed: ENOTDIR`);
    });

    it('creates a missing root and lists nothing', async function () {
      expect(await store().list()).to.deep.equal([]);
      expect((await stat(root)).isDirectory()).to.equal(true);
    });
  });

  describe('crash recovery', function () {
    it('removes stale temp files at start, in every directory', async function () {
      await mkdir(join(root, 'sub'), { recursive: true });
      await writeFile(join(root, '.kubectl-seccomp.0123456789abcdef.tmp'), 'partial');
      await writeFile(join(root, 'sub/.kubectl-seccomp.fedcba9876543210.tmp'), 'partial');
      await writeFile(join(root, '.someone-elses.tmp'), 'keep');
      await store().list();
      expect(await readdir(join(root, 'sub'))).to.deep.equal([]);
      expect(await readdir(root)).to.have.members(['sub', '.someone-elses.tmp']);
    });

    it('manages nothing when the index is damaged, so nothing is pruned', async function () {
      const s = store();
      await s.sync(request({ files: [{ path: 'a.json', content: A }] }));
      await writeFile(join(root, '.kubectl-seccomp/index.json'), '{"files": [');
      expect(await s.sync(request({ prune: true }))).to.deep.equal([]);
      expect(existsSync(join(root, 'a.json'))).to.equal(true);
    });
  });
});
