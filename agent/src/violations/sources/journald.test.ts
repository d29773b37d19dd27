import { expect } from 'chai';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JournaldSource } from './journald.js';
import { journalctlArgs, seccompMatches } from './journalctl-args.js';
import { RecordingSink } from '../testing/sources.js';

const FIXTURE = fileURLToPath(new URL('../../../fixtures/sources/journal-entries.jsonl', import.meta.url));
/** Real `journalctl -o json` lines: kernel chatter, then one record through both transports. */
const [chatter, auditEntry, kernelEntry] = readFileSync(FIXTURE, 'utf8').trimEnd().split('\n') as [string, string, string];

describe('journalctl arguments', () => {
  it('follow the host journal as JSON from a time, with the seccomp matches', () => {
    const args = journalctlArgs({ root: '/host', sinceUnixMs: 1795453096288 });
    expect(args).to.include.members(['--follow', '--output=json', '--all', '--root=/host', '--since=@1795453096.288', '--lines=all']);
    const fields = args
      .find((a) => a.startsWith('--output-fields='))
      ?.split('=')[1]
      ?.split(',');
    expect(fields).to.include.members(['MESSAGE', '_TRANSPORT', '_AUDIT_TYPE', '_AUDIT_ID', '_SOURCE_REALTIME_TIMESTAMP', '_AUDIT_FIELD_SYSCALL']);
    expect(args.slice(-5)).to.deep.equal(['--lines=all', '_TRANSPORT=audit', '_AUDIT_TYPE=1326', '+', '_TRANSPORT=kernel']);
  });

  it('ask the kernel transport only for warnings and worse when its records are not wanted', () => {
    const args = journalctlArgs({ root: '/', sinceUnixMs: 1, kernelTransport: 'warnings' });
    const matches = seccompMatches('warnings');
    expect(args.slice(-matches.length - 1)).to.deep.equal(['--lines=all', ...matches]);
    expect(matches).to.deep.equal([
      '_TRANSPORT=audit',
      '_AUDIT_TYPE=1326',
      '+',
      '_TRANSPORT=kernel',
      'PRIORITY=0',
      'PRIORITY=1',
      'PRIORITY=2',
      'PRIORITY=3',
      'PRIORITY=4',
    ]);
  });

  it('read the default journal for host root / and a given directory instead of the root', () => {
    expect(journalctlArgs({ root: '/', sinceUnixMs: 1 }).some((a) => a.startsWith('--root'))).to.equal(false);
    const args = journalctlArgs({ root: '/host', directory: '/tmp/j', sinceUnixMs: 1 });
    expect(args).to.include('--directory=/tmp/j');
    expect(args.some((a) => a.startsWith('--root'))).to.equal(false);
  });

  it('match only the audit transport when the kernel transport is not wanted', () => {
    const args = journalctlArgs({ root: '/', sinceUnixMs: 1, kernelTransport: 'none' });
    expect(args.slice(-3)).to.deep.equal(['--lines=all', '_TRANSPORT=audit', '_AUDIT_TYPE=1326']);
    expect(args).to.not.include('_TRANSPORT=kernel');
  });

  it('resume after a cursor instead of a time', () => {
    const args = journalctlArgs({ root: '/', cursor: 's=abc;i=15b', sinceUnixMs: 5 });
    expect(args).to.include('--after-cursor=s=abc;i=15b');
    expect(args.some((a) => a.startsWith('--since'))).to.equal(false);
  });
});

/**
 * A stand-in journalctl: a shell script that logs its pid and arguments, then plays the part the
 * test gives it for its Nth run.
 */
function fakeJournalctl(dir: string, runs: string[]): string {
  const path = join(dir, 'journalctl');
  const cases = runs.map((body, i) => `  ${i + 1}) ${body} ;;`).join('\n');
  writeFileSync(
    path,
    `#!/bin/sh
echo "$$ $*" >> '${dir}/calls'
n=$(wc -l < '${dir}/calls')
case $n in
${cases}
  *) exec sleep 600 ;;
esac
`,
  );
  chmodSync(path, 0o755);
  return path;
}

function printLines(dir: string, name: string, lines: string[]): string {
  writeFileSync(join(dir, name), lines.map((l) => `${l}\n`).join(''));
  return `cat '${join(dir, name)}'`;
}

function calls(dir: string): { pid: number; args: string }[] {
  return readFileSync(join(dir, 'calls'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => {
      const space = line.indexOf(' ');
      return { pid: Number(line.slice(0, space)), args: line.slice(space + 1) };
    });
}

/** Running: a zombie (ended, not yet reaped by whoever inherited it) is not. */
function alive(pid: number): boolean {
  const stat = readFileSafe(`/proc/${pid}/stat`);
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

describe('journald source (scripted journalctl)', () => {
  let dir: string;
  let source: JournaldSource | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'seccomp-journald-'));
  });

  afterEach(async () => {
    await source?.stop();
    source = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('forwards seccomp entries of both transports and drops kernel chatter and non-JSON lines', async () => {
    const play = printLines(dir, 'out', [chatter, 'not json', auditEntry, kernelEntry]);
    source = new JournaldSource({ hostRoot: '/host', journalctl: fakeJournalctl(dir, [`${play}; exec sleep 600`]) });
    const sink = new RecordingSink();
    const before = Date.now();
    await source.start(sink, { sinceUnixMs: 0 });
    await sink.waitFor((r) => r.kind === 'journal' && r.entry.field('_TRANSPORT') === 'kernel');
    expect(sink.records.map((r) => (r.kind === 'journal' ? r.entry.field('_TRANSPORT') : ''))).to.deep.equal(['audit', 'kernel']);
    expect(sink.records[0]).to.deep.include({ source: 'journald', kind: 'journal' });
    expect(sink.records[0]!.kind === 'journal' && sink.records[0]!.entry.text).to.equal(auditEntry);
    expect(source.lastCursor).to.equal(JSON.parse(kernelEntry).__CURSOR);
    const [call] = calls(dir);
    expect(call!.args).to.contain('--root=/host');
    const since = Number(/--since=@([\d.]+)/.exec(call!.args)?.[1]) * 1000;
    expect(since).to.be.at.least(before - 1);
  });

  it('starts after the cursor a previous agent kept, and reports each cursor it reads as its place', async () => {
    const play = printLines(dir, 'out', [chatter, auditEntry]);
    source = new JournaldSource({ hostRoot: '/', prefilter: false, journalctl: fakeJournalctl(dir, [`${play}; exec sleep 600`]) });
    const sink = new RecordingSink();
    await source.start(sink, { sinceUnixMs: 0, resume: { journalCursor: 's=kept;i=1' } });
    await sink.waitFor((r) => r.kind === 'journal' && r.entry.field('_TRANSPORT') === 'audit');
    const [call] = calls(dir);
    expect(call!.args).to.contain('--after-cursor=s=kept;i=1');
    expect(call!.args).not.to.contain('--since');
    expect(sink.position.journalCursor).to.equal(JSON.parse(auditEntry).__CURSOR);
  });

  it('restarts a journalctl that died after the last cursor, and says so meanwhile', async () => {
    const first = printLines(dir, 'first', [chatter]);
    const second = printLines(dir, 'second', [kernelEntry]);
    source = new JournaldSource({
      hostRoot: '/',
      backoffMinMs: 10,
      journalctl: fakeJournalctl(dir, [`${first}; echo 'journal corrupted' >&2; exit 3`, `${second}; exec sleep 600`]),
    });
    const sink = new RecordingSink();
    await source.start(sink, { sinceUnixMs: 1795453000000 });
    await sink.waitFor((r) => r.kind === 'journal' && r.entry.field('_TRANSPORT') === 'kernel');
    const [one, two] = calls(dir);
    expect(one!.args).to.contain('--since=@1795453000.000');
    expect(two!.args).to.contain(`--after-cursor=${JSON.parse(chatter).__CURSOR}`);
    expect(sink.health).to.have.length(3);
    expect(sink.health[0]).to.equal('healthy');
    expect(sink.health[1]).to.match(/^unhealthy: .*journalctl exited with code 3: journal corrupted$/);
    expect(sink.health[2]).to.equal('healthy');
  });

  it('asks the kernel transport for loss reports only once the audit transport brings a record, resuming after it', async () => {
    const first = printLines(dir, 'first', [kernelEntry, auditEntry]);
    const second = printLines(dir, 'second', [chatter]);
    source = new JournaldSource({
      hostRoot: '/',
      prefilter: false,
      journalctl: fakeJournalctl(dir, [`${first}; exec sleep 600`, `${second}; exec sleep 600`]),
    });
    const sink = new RecordingSink();
    await source.start(sink, { sinceUnixMs: 1795453000000 });
    expect(source.kernelTransport).to.equal('all');
    await sink.waitFor((r) => r.kind === 'journal' && r.entry.text === chatter);
    expect(source.kernelTransport).to.equal('warnings');
    const [one, two, three] = calls(dir);
    expect(one!.args).to.match(/_AUDIT_TYPE=1326 \+ _TRANSPORT=kernel$/);
    expect(two!.args).to.contain(`--after-cursor=${JSON.parse(auditEntry).__CURSOR}`);
    expect(two!.args).to.match(/_AUDIT_TYPE=1326 \+ _TRANSPORT=kernel PRIORITY=0 PRIORITY=1 PRIORITY=2 PRIORITY=3 PRIORITY=4$/);
    expect(three).to.equal(undefined);
    expect(alive(one!.pid)).to.equal(false);
    // Every line once, in order, and no failure reported for the journalctl it stopped itself.
    expect(sink.records.map((r) => (r.kind === 'journal' ? r.entry.text : ''))).to.deep.equal([kernelEntry, auditEntry, chatter]);
    expect(sink.health.filter((h) => h !== 'healthy')).to.deep.equal([]);
  });

  it('takes a journalctl that exits 0 on SIGTERM (newer systemd) as stopped, not failed, when it switches', async () => {
    const first = printLines(dir, 'first', [auditEntry]);
    const second = printLines(dir, 'second', [chatter]);
    source = new JournaldSource({
      hostRoot: '/',
      prefilter: false,
      // The trap is set once the child exists, so that it always has a child to end.
      journalctl: fakeJournalctl(dir, [`${first}; sleep 600 & s=$!; trap 'kill $s; exit 0' TERM; wait`, `${second}; exec sleep 600`]),
    });
    const sink = new RecordingSink();
    await source.start(sink, { sinceUnixMs: 1 });
    await sink.waitFor((r) => r.kind === 'journal' && r.entry.text === chatter);
    expect(calls(dir)[1]!.args).to.contain(`--after-cursor=${JSON.parse(auditEntry).__CURSOR}`);
    expect(sink.health.filter((h) => h !== 'healthy')).to.deep.equal([]);
  });

  it('ends what an exited journalctl left holding its output, reports the exit and starts again after the cursor', async () => {
    const first = printLines(dir, 'first', [auditEntry]);
    const second = printLines(dir, 'second', [chatter]);
    source = new JournaldSource({
      hostRoot: '/',
      prefilter: false,
      kernelTransport: 'none',
      backoffMinMs: 5,
      exitGraceMs: 50,
      journalctl: fakeJournalctl(dir, [`${first}; sleep 600 & echo $! > '${dir}/orphan'; exit 3`, `${second}; exec sleep 600`]),
    });
    const sink = new RecordingSink();
    await source.start(sink, { sinceUnixMs: 1 });
    await sink.waitFor((r) => r.kind === 'journal' && r.entry.text === chatter);
    expect(sink.records.map((r) => (r.kind === 'journal' ? r.entry.text : ''))).to.deep.equal([auditEntry, chatter]);
    expect(sink.health.filter((h) => h !== 'healthy')).to.have.length(1);
    expect(sink.health.find((h) => h !== 'healthy')).to.match(/exited with code 3$/);
    expect(calls(dir)[1]!.args).to.contain(`--after-cursor=${JSON.parse(auditEntry).__CURSOR}`);
    // The orphan was sent SIGKILL; waiting for its end fails by the test's timeout if it was not.
    const orphan = Number(readFileSync(join(dir, 'orphan'), 'utf8'));
    while (alive(orphan)) await new Promise((r) => setTimeout(r, 5));
  });

  it('keeps one journalctl when it asks for no kernel lines at all (kmsg read)', async () => {
    const first = printLines(dir, 'first', [auditEntry, chatter]);
    source = new JournaldSource({ hostRoot: '/', prefilter: false, kernelTransport: 'none', journalctl: fakeJournalctl(dir, [`${first}; exec sleep 600`]) });
    const sink = new RecordingSink();
    await source.start(sink, { sinceUnixMs: 1 });
    await sink.waitFor((r) => r.kind === 'journal' && r.entry.text === chatter);
    expect(source.kernelTransport).to.equal('none');
    expect(calls(dir)).to.have.length(1);
    expect(calls(dir)[0]!.args).to.match(/--lines=all _TRANSPORT=audit _AUDIT_TYPE=1326$/);
  });

  it('reports a journalctl that cannot be run, and keeps trying', async () => {
    source = new JournaldSource({ hostRoot: '/', journalctl: join(dir, 'missing-journalctl'), backoffMinMs: 5, backoffMaxMs: 5 });
    const sink = new RecordingSink();
    await source.start(sink, { sinceUnixMs: 0 });
    while (sink.health.length < 2) await new Promise((r) => setTimeout(r, 5));
    expect(sink.health[0]).to.match(/^unhealthy: .*missing-journalctl could not run: spawn .* ENOENT/);
    expect(sink.health[1]).to.equal(sink.health[0]);
  });

  it('stop ends journalctl by its pid and waits for it', async () => {
    source = new JournaldSource({ hostRoot: '/', journalctl: fakeJournalctl(dir, ['exec sleep 600']) });
    await source.start(new RecordingSink(), { sinceUnixMs: 0 });
    while (!readFileSafe(join(dir, 'calls'))) await new Promise((r) => setTimeout(r, 5));
    const [call] = calls(dir);
    expect(alive(call!.pid)).to.equal(true);
    await source.stop();
    expect(alive(call!.pid)).to.equal(false);
  });
});

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
