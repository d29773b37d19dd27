import { expect } from 'chai';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { AuditLogSource } from './audit-log.js';
import { LineSplitter } from './line-splitter.js';
import { RecordingSink, recordText } from '../testing/sources.js';

const FIXTURE = fileURLToPath(new URL('../../../fixtures/sources/audit.log', import.meta.url));
const POLL_MS = 10;
/** Long enough for several polls: lets a test show that something did not happen. */
const SETTLE_MS = POLL_MS * 8;

function seccompLine(serial: number, seconds = 1795460000): string {
  return `type=SECCOMP msg=audit(${seconds}.123:${serial}): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=${9000 + serial} comm="mkdir" exe="/bin/busybox" sig=0 arch=c000003e syscall=83 compat=0 ip=0x47b567 code=0x7ffc0000\x1dAUID="unset" UID="root" GID="root" ARCH=x86_64 SYSCALL=mkdir`;
}

describe('line splitter', () => {
  it('keeps a partial line until its newline arrives, even inside a UTF-8 character', () => {
    const lines = new LineSplitter();
    const bytes = Buffer.from('one\ncafé\n');
    expect(lines.push(bytes.subarray(0, 8))).to.deep.equal(['one']);
    expect(lines.push(bytes.subarray(8))).to.deep.equal(['café']);
    expect(lines.flush()).to.equal(undefined);
  });
});

describe('audit.log source', () => {
  let root: string;
  let log: string;
  let source: AuditLogSource | undefined;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'seccomp-auditlog-'));
    mkdirSync(join(root, 'var/log/audit'), { recursive: true });
    log = join(root, 'var/log/audit/audit.log');
  });

  afterEach(async () => {
    await source?.stop();
    source = undefined;
    rmSync(root, { recursive: true, force: true });
  });

  async function follow(sinceUnixMs = 0, prefilter = true): Promise<RecordingSink> {
    const sink = new RecordingSink();
    source = new AuditLogSource({ hostRoot: root, pollIntervalMs: POLL_MS, prefilter });
    await source.start(sink, { sinceUnixMs });
    return sink;
  }

  const lineIs = (line: string) => (r: { kind: string }) => recordText(r as never) === line;

  it('starts at the end: only lines appended after the start arrive', async () => {
    copyFileSync(FIXTURE, log);
    const sink = await follow();
    appendFileSync(log, `${seccompLine(10)}\n`);
    await sink.waitFor(lineIs(seccompLine(10)));
    expect(sink.records.map(recordText)).to.deep.equal([seccompLine(10)]);
    expect(sink.records[0]).to.include({ source: 'auditlog', kind: 'auditlog' });
    expect(sink.health).to.deep.equal(['healthy']);
  });

  it('forwards SECCOMP lines only, with the enriched part after 0x1d intact', async () => {
    writeFileSync(log, '');
    const sink = await follow();
    appendFileSync(log, readFileSync(FIXTURE));
    const fixtureLines = readFileSync(FIXTURE, 'utf8').trimEnd().split('\n');
    await sink.waitFor(lineIs(fixtureLines[2]!));
    expect(sink.records.map(recordText)).to.deep.equal(fixtureLines.slice(1));
    expect(recordText(sink.records[0]!)).to.contain('\x1dAUID="unset"');
  });

  it('buffers a partial last line until auditd finishes it', async () => {
    writeFileSync(log, '');
    const sink = await follow();
    const line = seccompLine(11);
    appendFileSync(log, line.slice(0, 40));
    await sleep(SETTLE_MS);
    expect(sink.records).to.have.length(0);
    appendFileSync(log, `${line.slice(40)}\n`);
    await sink.waitFor(lineIs(line));
    expect(sink.records.map(recordText)).to.deep.equal([line]);
  });

  it('does not forward the tail of a line it started in the middle of', async () => {
    writeFileSync(log, `${seccompLine(1)}\n${seccompLine(2).slice(0, 50)}`);
    const sink = await follow();
    appendFileSync(log, `${seccompLine(2).slice(50)}\n${seccompLine(3)}\n`);
    await sink.waitFor(lineIs(seccompLine(3)));
    expect(sink.records.map(recordText)).to.deep.equal([seccompLine(3)]);
  });

  it('follows rotation: finishes the renamed file, then reads the new one from its start', async () => {
    writeFileSync(log, `${seccompLine(1)}\n`);
    const sink = await follow();
    appendFileSync(log, `${seccompLine(2)}\n`);
    await sink.waitFor(lineIs(seccompLine(2)));
    renameSync(log, `${log}.1`);
    appendFileSync(`${log}.1`, `${seccompLine(3)}\n`);
    writeFileSync(log, `${seccompLine(4)}\n`);
    await sink.waitFor(lineIs(seccompLine(4)));
    appendFileSync(log, `${seccompLine(5)}\n`);
    await sink.waitFor(lineIs(seccompLine(5)));
    expect(sink.records.map(recordText)).to.deep.equal([2, 3, 4, 5].map((n) => seccompLine(n)));
  });

  it('follows truncation: reads the file again from its start', async () => {
    writeFileSync(log, `${seccompLine(1)}\n`);
    const sink = await follow();
    appendFileSync(log, `${seccompLine(2)}\n${seccompLine(3)}\n`);
    await sink.waitFor(lineIs(seccompLine(3)));
    truncateSync(log, 0);
    appendFileSync(log, `${seccompLine(4)}\n`);
    await sink.waitFor(lineIs(seccompLine(4)));
    expect(sink.records.map(recordText)).to.deep.equal([2, 3, 4].map((n) => seccompLine(n)));
  });

  it('replays from the start since a time, skipping older records', async () => {
    writeFileSync(log, `${seccompLine(1, 1795400000)}\n${seccompLine(2, 1795500000)}\n`);
    const sink = await follow(1795450000 * 1000);
    appendFileSync(log, `${seccompLine(3, 1795500001)}\n`);
    await sink.waitFor(lineIs(seccompLine(3, 1795500001)));
    expect(sink.records.map(recordText)).to.deep.equal([seccompLine(2, 1795500000), seccompLine(3, 1795500001)]);
  });

  it('reports a missing log once, then reads it from its start when auditd creates it', async () => {
    const sink = await follow();
    await sleep(SETTLE_MS);
    expect(sink.health).to.have.length(1);
    expect(sink.health[0]).to.match(/^unhealthy: .*var\/log\/audit\/audit\.log: not found/);
    writeFileSync(log, `${seccompLine(1)}\n`);
    await sink.waitFor(lineIs(seccompLine(1)));
    expect(sink.health.at(-1)).to.equal('healthy');
  });

  it('stop releases the file', async () => {
    writeFileSync(log, '');
    await follow();
    await source!.stop();
    const { readdirSync, readlinkSync } = await import('node:fs');
    const open = readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === log;
      } catch {
        return false;
      }
    });
    expect(open).to.deep.equal([]);
  });
});
