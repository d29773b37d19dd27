import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { KmsgSource } from './kmsg.js';
import { parseKmsgRecord, unescapeKmsgText } from './kmsg-record.js';
import { mayConcernSeccomp } from './prefilter.js';
import { SeqGapCounter } from './seq-gap.js';
import { RecordingSink, recordText, rootMissing, skipUnless, uniqueMarker } from '../testing/sources.js';

const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../../../fixtures/sources/kmsg-records.json', import.meta.url)), 'utf8')) as {
  records: string[];
};

describe('kmsg record framing', () => {
  it('splits the header from the text and drops continuation lines', () => {
    const record = parseKmsgRecord(fixture.records[0]!);
    expect(record).to.deep.equal({
      seq: 274,
      usec: 325034,
      text: 'virtio-pci 0000:00:04.0: enabling device (0000 -> 0002)',
    });
  });

  it('keeps an audit record text whole', () => {
    const record = parseKmsgRecord(fixture.records[2]!);
    expect(record?.seq).to.equal(341);
    expect(record?.usec).to.equal(8422940448);
    expect(record?.text).to.match(/^audit: type=1326 audit\(1795452955\.592:2\): .* code=0x7ffc0000$/);
  });

  it('decodes \\xNN escapes as UTF-8, including newlines and backslashes', () => {
    const text = parseKmsgRecord(fixture.records[3]!)!.text;
    expect(unescapeKmsgText(text)).to.equal('kubectl-seccomp fixture: café back\\slash tab\there');
    expect(unescapeKmsgText(parseKmsgRecord(fixture.records[1]!)!.text)).to.contain('BIOS.\nPlease');
  });

  it('accepts header fields added by future kernels and rejects damaged headers', () => {
    expect(parseKmsgRecord('6,10,20,-,extra;hello\n')).to.deep.equal({ seq: 10, usec: 20, text: 'hello' });
    expect(parseKmsgRecord('no header at all')).to.equal(undefined);
    expect(parseKmsgRecord('6,x,20,-;text')).to.equal(undefined);
  });

  it('pre-filter forwards seccomp records and loss reports only', () => {
    expect(mayConcernSeccomp(parseKmsgRecord(fixture.records[2]!)!.text)).to.equal(true);
    expect(mayConcernSeccomp('kauditd_printk_skb: 12 callbacks suppressed')).to.equal(true);
    expect(mayConcernSeccomp('audit: audit_lost=3 audit_rate_limit=0 audit_backlog_limit=64')).to.equal(true);
    expect(mayConcernSeccomp(parseKmsgRecord(fixture.records[0]!)!.text)).to.equal(false);
  });
});

describe('kmsg sequence gaps', () => {
  it('counts exactly the records overwritten between two reads', () => {
    const gaps = new SeqGapCounter();
    expect(gaps.next(100)).to.equal(0);
    expect(gaps.next(101)).to.equal(0);
    expect(gaps.next(150)).to.equal(48);
  });

  it("resuming after a previous reader's SEQ: what it read is seen, a jump is what the ring overwrote meanwhile", () => {
    const gaps = new SeqGapCounter(40);
    expect(gaps.next(39)).to.equal('seen');
    expect(gaps.next(40)).to.equal('seen');
    expect(gaps.next(51)).to.equal(10);
  });

  it('reports records read again after a reopen as seen', () => {
    const gaps = new SeqGapCounter();
    gaps.next(7);
    expect(gaps.next(5)).to.equal('seen');
    expect(gaps.next(7)).to.equal('seen');
    expect(gaps.next(8)).to.equal(0);
  });
});

function kmsgFdsOpen(): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === '/dev/kmsg';
    } catch {
      return false;
    }
  }).length;
}

/** Writing to /dev/kmsg injects one kernel log record per write. */
function injectKmsg(text: string): void {
  writeFileSync('/dev/kmsg', `${text}\n`);
}

describe('kmsg source on this machine', function () {
  let source: KmsgSource | undefined;

  before(function () {
    skipUnless(this, rootMissing() ?? (existsSync('/dev/kmsg') ? undefined : 'no /dev/kmsg'));
  });

  afterEach(async () => {
    await source?.stop();
    source = undefined;
  });

  it('starting from now delivers a new record and none written before the start', async () => {
    const before = uniqueMarker('before-start');
    const after = uniqueMarker('after-start');
    injectKmsg(before);
    const sink = new RecordingSink();
    source = new KmsgSource({ hostRoot: '/', prefilter: false, pollIntervalMs: 10 });
    await source.start(sink, { sinceUnixMs: 0 });
    injectKmsg(after);
    const got = await sink.waitFor((r) => recordText(r) === after);
    expect(got).to.include({ source: 'kmsg', kind: 'kmsg' });
    expect(sink.records.map(recordText)).not.to.include(before);
    expect(sink.health).to.deep.equal(['healthy']);
    const seqs = sink.records.map((r) => (r.kind === 'kmsg' ? r.seq : -1));
    expect(seqs).to.deep.equal([...seqs].sort((a, b) => a - b));
  });

  it('replaying since a time delivers records from then on and not older ones', async () => {
    const older = uniqueMarker('older');
    const newer = uniqueMarker('newer');
    injectKmsg(older);
    // The printk clock and the wall clock are compared across boot time: leave a wide margin.
    await sleep(1500);
    const since = Date.now() - 700;
    injectKmsg(newer);
    const sink = new RecordingSink();
    source = new KmsgSource({ hostRoot: '/', prefilter: false, pollIntervalMs: 10 });
    await source.start(sink, { sinceUnixMs: since });
    await sink.waitFor((r) => recordText(r) === newer);
    expect(sink.records.map(recordText)).not.to.include(older);
  });

  it('resuming after the SEQ a stopped source reached delivers what was logged meanwhile, once, and nothing older', async () => {
    const first = new RecordingSink();
    const before = uniqueMarker('read-before-stop');
    const meanwhile = uniqueMarker('logged-while-stopped');
    const after = uniqueMarker('after-resume');
    source = new KmsgSource({ hostRoot: '/', prefilter: false, pollIntervalMs: 10 });
    await source.start(first, { sinceUnixMs: 0 });
    injectKmsg(before);
    await first.waitFor((r) => recordText(r) === before);
    await source.stop();
    const reached = first.position.kmsgSeq;
    expect(reached).to.be.a('number');
    injectKmsg(meanwhile);
    const second = new RecordingSink();
    source = new KmsgSource({ hostRoot: '/', prefilter: false, pollIntervalMs: 10 });
    await source.start(second, { sinceUnixMs: 0, resume: { kmsgSeq: reached! } });
    injectKmsg(after);
    await second.waitFor((r) => recordText(r) === after);
    const texts = second.records.map(recordText);
    expect(texts.filter((t) => t === meanwhile)).to.have.length(1);
    expect(texts).not.to.include(before);
    expect(second.lostCounts).to.deep.equal([]);
    expect(second.position.kmsgSeq).to.be.greaterThan(reached!);
  });

  it('with the pre-filter on, ordinary kernel chatter from the ring is not forwarded', async () => {
    const everything = new RecordingSink();
    const unfiltered = new KmsgSource({ hostRoot: '/', prefilter: false, pollIntervalMs: 10 });
    await unfiltered.start(everything, { sinceUnixMs: 1 });
    await unfiltered.stop();
    const filtered = new RecordingSink();
    source = new KmsgSource({ hostRoot: '/', pollIntervalMs: 10 });
    await source.start(filtered, { sinceUnixMs: 1 });
    // start() reads the first batch of the ring before it resolves.
    expect(everything.records.filter((r) => !mayConcernSeccomp(recordText(r))).length).to.be.greaterThan(0);
    for (const record of filtered.records) expect(mayConcernSeccomp(recordText(record))).to.equal(true);
  });

  it('stop closes the device', async () => {
    const open = kmsgFdsOpen();
    source = new KmsgSource({ hostRoot: '/', pollIntervalMs: 10 });
    await source.start(new RecordingSink(), { sinceUnixMs: 0 });
    expect(kmsgFdsOpen()).to.equal(open + 1);
    await source.stop();
    expect(kmsgFdsOpen()).to.equal(open);
  });

  it('reports a missing device as unhealthy instead of throwing', async () => {
    const sink = new RecordingSink();
    source = new KmsgSource({ hostRoot: '/nonexistent-host-root', retryIntervalMs: 60_000 });
    await source.start(sink, { sinceUnixMs: 0 });
    expect(sink.health).to.have.length(1);
    expect(sink.health[0]).to.match(/^unhealthy: cannot read \/nonexistent-host-root\/dev\/kmsg: ENOENT/);
  });
});
