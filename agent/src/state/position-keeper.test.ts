import { expect } from 'chai';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PositionKeeper } from './position-keeper.js';
import { decideResume, parseSavedState } from './positions.js';
import { STATE_FILE } from './state-file.js';

describe('source positions', () => {
  it('resume only within the boot they were taken in, and never from a damaged file', () => {
    const saved = { version: 1 as const, bootId: 'boot-a', positions: { kmsgSeq: 41, journalCursor: 's=1;i=2' } };
    expect(decideResume(saved, 'boot-a')).to.deep.equal({ kind: 'resume', positions: saved.positions });
    expect(decideResume(saved, 'boot-b')).to.deep.equal({ kind: 'fresh', reason: 'boot-changed' });
    expect(decideResume('missing', 'boot-a')).to.deep.equal({ kind: 'fresh', reason: 'no-state' });
    expect(decideResume('unreadable', 'boot-a')).to.deep.equal({ kind: 'fresh', reason: 'unreadable' });
  });

  it('parse keeps the fields it can trust and refuses what it did not write', () => {
    expect(parseSavedState('{"version":1,"bootId":"b","positions":{"kmsgSeq":-1,"journalCursor":""}}')).to.deep.equal({
      version: 1,
      bootId: 'b',
      positions: {},
    });
    expect(parseSavedState('{"version":2,"bootId":"b","positions":{}}')).to.equal('unreadable');
    expect(parseSavedState('{"version":1,"bootId":"b"')).to.equal('unreadable');
    expect(parseSavedState('null')).to.equal('unreadable');
  });
});

describe('PositionKeeper', () => {
  let root: string;
  let hostRoot: string;
  let stateDir: string;
  const setBoot = (id: string) => writeFile(join(hostRoot, 'proc/sys/kernel/random/boot_id'), `${id}\n`);

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'position-keeper-'));
    hostRoot = join(root, 'host');
    stateDir = join(root, 'state', 'nested');
    await mkdir(join(hostRoot, 'proc/sys/kernel/random'), { recursive: true });
    await setBoot('boot-a');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('a restarted agent resumes where the last one stopped; after a reboot it starts fresh', async () => {
    const first = await PositionKeeper.open({ dir: stateDir, hostRoot });
    expect(first.decision).to.deep.equal({ kind: 'fresh', reason: 'no-state' });
    first.advance({ kmsgSeq: 10 });
    first.advance({ journalCursor: 'cursor-1' });
    first.advance({ kmsgSeq: 12 });
    await first.stop();
    first.advance({ kmsgSeq: 99 });

    const second = await PositionKeeper.open({ dir: stateDir, hostRoot });
    expect(second.resume).to.deep.equal({ kmsgSeq: 12, journalCursor: 'cursor-1' });
    await second.stop();
    expect(await readdir(stateDir)).to.deep.equal([STATE_FILE]);

    await setBoot('boot-b');
    const third = await PositionKeeper.open({ dir: stateDir, hostRoot });
    expect(third.decision).to.deep.equal({ kind: 'fresh', reason: 'boot-changed' });
    expect(third.resume).to.deep.equal({});
    await third.stop();
  });

  it('writes while positions move, at most once per interval, not only on stop', async () => {
    const keeper = await PositionKeeper.open({ dir: stateDir, hostRoot, intervalMs: 20 });
    for (let seq = 1; seq <= 50; seq++) keeper.advance({ kmsgSeq: seq });
    const file = join(stateDir, STATE_FILE);
    for (;;) {
      const text = await readFile(file, 'utf8').catch(() => '');
      if (text.includes('"kmsgSeq":50')) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    await keeper.stop();
  });

  it('a damaged state file is not resumed from, and is replaced', async () => {
    await mkdir(stateDir, { recursive: true });
    await writeFile(join(stateDir, STATE_FILE), '{"version":1,');
    const keeper = await PositionKeeper.open({ dir: stateDir, hostRoot });
    expect(keeper.decision).to.deep.equal({ kind: 'fresh', reason: 'unreadable' });
    keeper.advance({ kmsgSeq: 3 });
    await keeper.stop();
    expect(parseSavedState(await readFile(join(stateDir, STATE_FILE), 'utf8'))).to.deep.equal({ version: 1, bootId: 'boot-a', positions: { kmsgSeq: 3 } });
  });
});
