import { expect } from 'chai';
import { startJournald, journaldAvailable, type TestJournald } from '../harness/journald.js';
import { JournaldSource, type KernelTransport } from '@kubectl-seccomp/agent';
import { injectKmsg, logSink, pidsWithArgument, RawLog, recordText, skipUnless, uniqueMarker } from './support.js';

const kernelEntry = (text: string) => (r: Parameters<typeof recordText>[0]) =>
  r.kind === 'journal' && r.entry.field('_TRANSPORT') === 'kernel' && recordText(r) === text;

describe('journald source against a real journald', function () {
  this.timeout(60_000);
  let journald: TestJournald | undefined;
  const sources: JournaldSource[] = [];

  before(async function () {
    skipUnless(this, await journaldAvailable());
    journald = await startJournald();
  });

  afterEach(async () => {
    await Promise.all(sources.splice(0).map((s) => s.stop()));
  });

  after(async () => {
    await journald?.stop();
  });

  function follow(log: RawLog, sinceUnixMs: number, kernelTransport?: KernelTransport): Promise<JournaldSource> {
    const source = new JournaldSource({
      hostRoot: '/',
      directory: journald!.journalDir,
      prefilter: false,
      backoffMinMs: 50,
      ...(kernelTransport ? { kernelTransport } : {}),
    });
    sources.push(source);
    return source.start(logSink(log), { sinceUnixMs }).then(() => source);
  }

  it('delivers a kernel record (kernel transport) stored after the start, and none stored before', async () => {
    const older = uniqueMarker('journald-older');
    injectKmsg(older);
    // Be sure journald has stored it before the follower starts.
    const replay = new RawLog();
    const first = await follow(replay, 1);
    await replay.waitFor(kernelEntry(older));
    await first.stop();

    const log = new RawLog();
    await follow(log, 0);
    const newer = uniqueMarker('journald-newer');
    injectKmsg(newer);
    await log.waitFor(kernelEntry(newer));
    expect(log.matching(kernelEntry(older))).to.have.length(0);
    const [entry] = log.matching(kernelEntry(newer));
    expect(entry).to.include({ source: 'journald', kind: 'journal' });
    expect(entry!.kind === 'journal' && typeof entry!.entry.field('__CURSOR')).to.equal('string');
  });

  // The kernel prints seccomp records at notice and its reports of dropped ones at warning: journalctl
  // must keep the second and leave out the first when the records come by the audit transport.
  it('asked for kernel warnings only, journalctl delivers a warning line and leaves out a notice line', async () => {
    const log = new RawLog();
    await follow(log, 0, 'warnings');
    const notice = uniqueMarker('journald-notice');
    const warning = uniqueMarker('journald-warning');
    injectKmsg(`<5>${notice}`);
    injectKmsg(`<4>${warning}`);
    await log.waitFor(kernelEntry(warning));
    // journalctl prints in the order stored: the notice, stored first, would have come before.
    expect(log.matching(kernelEntry(notice))).to.have.length(0);
    expect(log.matching(kernelEntry(warning))).to.have.length(1);
  });

  it('resumes after the last cursor when journalctl dies: nothing lost, nothing repeated', async () => {
    const log = new RawLog();
    const source = await follow(log, 0);
    const one = uniqueMarker('journald-before-kill');
    injectKmsg(one);
    await log.waitFor(kernelEntry(one));
    const journalctls = pidsWithArgument(`--directory=${journald!.journalDir}`);
    expect(journalctls).to.have.length(1);
    process.kill(journalctls[0]!, 'SIGKILL');
    const two = uniqueMarker('journald-after-kill');
    injectKmsg(two);
    await log.waitFor(kernelEntry(two));
    expect(log.matching(kernelEntry(one))).to.have.length(1);
    expect(source.lastCursor).to.be.a('string');
    const restarted = pidsWithArgument(`--directory=${journald!.journalDir}`);
    expect(restarted).to.have.length(1);
    expect(restarted[0]).not.to.equal(journalctls[0]);
  });
});
