import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { UserError } from '../errors.js';
import { findProfileFiles } from './profile-files.js';

describe('findProfileFiles', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-profile-files-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists every *.json under a directory, recursively, in code-unit order whatever the locale', async () => {
    await mkdir(join(dir, 'sub'));
    for (const f of ['b.json', 'a.json', 'B.json', '_x.json', 'notes.txt', 'sub/c.json']) await writeFile(join(dir, f), '{}');
    const found = await findProfileFiles([dir]);
    expect(found.map((f) => f.rel)).to.deep.equal(['B.json', '_x.json', 'a.json', 'b.json', 'sub/c.json']);
    expect(found[0]!.file).to.equal(join(dir, 'B.json'));
  });

  it('takes a file argument as it is, and names an argument that does not exist or holds no profile', async () => {
    await writeFile(join(dir, 'web.txt'), '{}');
    expect(await findProfileFiles([join(dir, 'web.txt')])).to.deep.equal([{ file: join(dir, 'web.txt'), rel: 'web.txt' }]);
    const missing = join(dir, 'missing.json');
    await findProfileFiles([missing]).then(
      () => expect.fail('resolved'),
      (err: unknown) => {
        expect(err).to.be.instanceOf(UserError);
        expect((err as Error).message).to.equal(`${missing}: no such file or directory`);
      },
    );
    await findProfileFiles([dir]).then(
      () => expect.fail('resolved'),
      (err: unknown) => expect((err as Error).message).to.equal(`${dir}: no *.json files in this directory`),
    );
  });
});
