import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { watch } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { ProfileStore } from './index.js';

const loop = fileURLToPath(new URL('../../fixtures/store/sync-loop.mjs', import.meta.url));
const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const TEMP = /^\.kubectl-seccomp\.[0-9a-f]{16}\.tmp$/;

/** A valid profile of about `size` bytes, so that a write takes long enough to be interrupted. */
const bigProfile = (fill: string, size: number): Buffer =>
  Buffer.from(JSON.stringify({ defaultAction: 'SCMP_ACT_LOG', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW', comment: fill.repeat(size) }] }));

/** Calls `fn` on every "synced" line the child prints. */
const onSynced = (child: ChildProcess, fn: () => void): void => {
  child.stdout?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line === 'synced') fn();
  });
};

/** Resolves once the child has synced twice, with the time one sync took. */
const syncCycle = (child: ChildProcess): Promise<number> =>
  new Promise((resolve, reject) => {
    const times: number[] = [];
    onSynced(child, () => {
      times.push(Date.now());
      if (times.length === 2) resolve((times[1] as number) - (times[0] as number));
    });
    child.once('exit', (code, signal) => reject(new Error(`sync loop exited early (${code ?? signal})`)));
  });

/** Resolves when a temp file appears in `dir`: the writer is between open and rename. */
const tempAppears = (dir: string): { seen: Promise<void>; close(): void } => {
  const watcher = watch(dir);
  const seen = new Promise<void>((resolve) => {
    watcher.on('change', (_event, name) => {
      if (TEMP.test(String(name))) resolve();
    });
  });
  return { seen, close: () => watcher.close() };
};

async function tempFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => TEMP.test(e.name)).map((e) => join(e.parentPath, e.name));
}

describe('ProfileStore atomic writes', function () {
  this.timeout(120_000);
  let tmp: string;
  let child: ChildProcess | undefined;

  beforeEach(async function () {
    tmp = await mkdtemp(join(tmpdir(), 'store-atomic-'));
  });
  afterEach(async function () {
    if (child?.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    child = undefined;
    await rm(tmp, { recursive: true, force: true });
  });

  it('a writer killed at any moment leaves the old or the new file, and its temp files are cleaned', async function () {
    const contents = [bigProfile('a', 2 << 20), bigProfile('b', 2 << 20)];
    const shas = contents.map(sha);
    const files = [join(tmp, 'a.json'), join(tmp, 'b.json')];
    await Promise.all(files.map((f, i) => writeFile(f, contents[i] as Buffer)));
    const root = join(tmp, 'seccomp');
    const limit = 2 * (contents[0] as Buffer).length;

    let killedMidWrite = 0;
    for (let round = 0; round < 8; round++) {
      child = spawn(process.execPath, [loop, root, ...files], { stdio: ['ignore', 'pipe', 'inherit'] });
      const running = child;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      const cycle = await syncCycle(running);
      if (round % 2 === 0) {
        // Aimed: kill the moment a temp file shows up, i.e. in the middle of writing it.
        const temp = tempAppears(join(root, 'big'));
        await temp.seen;
        running.kill('SIGKILL');
        temp.close();
      } else {
        // Anywhere in a sync: validating, hashing, writing, renaming, updating the index.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * cycle));
        running.kill('SIGKILL');
      }
      await exited;

      const onDisk = sha(await readFile(join(root, 'big/p.json')));
      expect(shas, `round ${round}: big/p.json is neither version`).to.include(onDisk);
      if ((await tempFilesUnder(root)).length > 0) killedMidWrite++;

      const store = new ProfileStore({ root, maxProfileBytes: limit, maxRequestBytes: limit });
      const listed = await store.list();
      expect(await tempFilesUnder(root), `round ${round}: temp files left after restart`).to.deep.equal([]);
      expect(listed).to.have.length(1);
      expect(listed[0]).to.deep.include({ path: 'big/p.json', sha256: onDisk, managed: true, error: '' });
    }
    expect(killedMidWrite, 'no kill landed while a temp file existed: the test proved nothing').to.be.greaterThan(0);
    // The file survived every kill intact; and after the last one it is still ours to prune.
    const store = new ProfileStore({ root, maxProfileBytes: limit, maxRequestBytes: limit });
    const results = await store.sync({ files: [], unchanged: [], prune: true, dryRun: false });
    expect(results.map((r) => [r.path, r.outcome])).to.deep.equal([['big/p.json', 'deleted']]);
  });
});
