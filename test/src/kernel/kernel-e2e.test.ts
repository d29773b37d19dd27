import type { Violation, WatchEvent } from '@kubectl-seccomp/proto';
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { setImmediate as tick } from 'node:timers/promises';
import { journaldAvailable, startJournald, type TestJournald } from '../harness/journald.js';
import { runcAvailable, startContainer, type RunningContainer } from '../harness/runc.js';
import {
  findCaptureHelper,
  JournaldSource,
  KmsgSource,
  ProcessIdentities,
  ProcessTracking,
  silentLogger,
  ViolationPipeline,
  type RawRecord,
} from '@kubectl-seccomp/agent';
import { mkdirProfile } from './profiles.js';
import { RawLog, recordText, skipUnless, teeSource } from './support.js';
import { printkLimits } from './printk-limits.js';

/**
 * The agent's violation path on the real kernel: a runc container under a seccomp profile in a
 * kubepods cgroup, the kernel's type=1326 record read from /dev/kmsg and from a real journald (both
 * transports), parsed, de-duplicated and enriched by the pipeline into exactly one violation, named
 * by BPF process tracking although the process exited (or was killed and reaped) at once. Once
 * journald's audit transport has brought a record, the journald source stops asking for the kernel
 * transport's copies (KernelTransport 'warnings'): from then on a record comes through kmsg and the
 * audit transport only.
 */

/** The container parks its first process on `read` so its pid is known before the syscall; mkdir then exits at once. */
const PARKED_MKDIR = 'read go && exec mkdir /tmp/x';

async function prerequisites(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'needs root';
  if (!existsSync('/dev/kmsg')) return 'no /dev/kmsg';
  if (!(await findCaptureHelper())) return 'seccomp-capture is not built (scripts/build-native.sh)';
  return (await runcAvailable()) ?? (await journaldAvailable());
}

/** The raw copies of the record a process made: kmsg text, journald kernel and audit transports. */
function copiesOf(pid: number): (r: RawRecord) => boolean {
  return (r) => {
    const text = recordText(r);
    return text.includes(` pid=${pid} `) && (text.includes('type=1326') || text.startsWith('SECCOMP '));
  };
}

describe('kernel end-to-end: seccomp violations from a runc container', function () {
  this.timeout(60_000);
  let journald: TestJournald | undefined;
  let pipeline: ViolationPipeline | undefined;
  let container: RunningContainer | undefined;
  let watching: AbortController | undefined;
  let journaldSource: JournaldSource | undefined;
  let tracking: ProcessTracking | undefined;
  const raw = new RawLog();
  const violations: Violation[] = [];
  let arrived: (() => void) | undefined;
  let restorePrintk: (() => Promise<void>) | undefined;

  before(async function () {
    skipUnless(this, await prerequisites());
    // This file is about a record's copies through kmsg and journald, and asserts the kmsg copy. At
    // printk's default limits that copy is dropped when earlier tests printed records within the
    // last 5 s (capture-e2e does): no limit here. Capture at the default limits is capture-e2e's
    // and the quick start's test.
    restorePrintk = await printkLimits(0, 10);
    journald = await startJournald();
    journaldSource = new JournaldSource({ hostRoot: '/', directory: journald.journalDir });
    tracking = new ProcessTracking({ helper: (await findCaptureHelper())!, hostRoot: '/', fallback: new ProcessIdentities('/'), log: silentLogger });
    await tracking.start();
    pipeline = new ViolationPipeline({
      processes: tracking,
      nodeName: 'e2e-node',
      hostRoot: '/',
      log: silentLogger,
      sources: [teeSource(new KmsgSource({ hostRoot: '/', pollIntervalMs: 20 }), raw), teeSource(journaldSource, raw)],
    });
    await pipeline.start({ sinceUnixMs: 0 });
    watching = new AbortController();
    const stream = pipeline.watch(
      { filter: { namespaces: [], pods: [], containers: [], syscalls: [], actions: [] }, sinceUnixMs: 0, statsIntervalMs: 0, maxQueue: 0 },
      watching.signal,
    );
    void (async () => {
      for await (const event of stream as AsyncIterable<WatchEvent>) {
        if (event.kind !== 'violation') continue;
        violations.push(event.violation);
        arrived?.();
      }
    })();
  });

  afterEach(async () => {
    await container?.stop();
    container = undefined;
  });

  after(async () => {
    await restorePrintk?.();
    watching?.abort();
    await pipeline?.stop();
    await tracking?.stop();
    await journald?.stop();
  });

  async function violationsOf(pid: number): Promise<Violation[]> {
    while (!violations.some((v) => v.pid === pid)) {
      await new Promise<void>((resolve) => (arrived = resolve));
    }
    return violations.filter((v) => v.pid === pid);
  }

  const carriers = (pid: number): string[] =>
    raw
      .matching(copiesOf(pid))
      .map((r) => (r.kind === 'journal' ? `journald/${String(r.entry.field('_TRANSPORT'))}` : r.source))
      .sort();

  /**
   * Waits until kmsg and journald's audit transport have delivered their copies (the pipeline has
   * handled each by then) and returns every carrier seen. The kernel transport's copy comes too when
   * journald stored it before the audit transport's first record, which journald does not order.
   */
  async function copies(pid: number): Promise<string[]> {
    await raw.waitFor((r) => copiesOf(pid)(r) && r.kind === 'kmsg');
    await raw.waitFor((r) => copiesOf(pid)(r) && r.kind === 'journal' && r.entry.field('_TRANSPORT') === 'audit');
    // Events reach the watcher through its queue: let it drain.
    await tick();
    await tick();
    return carriers(pid);
  }

  it('a SCMP_ACT_LOG hit of a process that exits at once is one violation with syscall, action, pid and its container', async () => {
    container = await startContainer({ profile: mkdirProfile('SCMP_ACT_LOG'), args: ['/bin/sh', '-c', PARKED_MKDIR] });
    container.send('go\n');
    const [violation] = await violationsOf(container.pid);
    expect(violation).to.deep.include({
      node: 'e2e-node',
      pid: container.pid,
      comm: 'mkdir',
      exe: '/bin/busybox',
      syscall: 'mkdir',
      action: 'SCMP_ACT_LOG',
      arch: 'SCMP_ARCH_X86_64',
      containerId: container.id,
      podUid: container.podUid,
    });
    // journald stores its two copies in no set order: the kernel one comes if it was stored first.
    expect([
      ['journald/audit', 'kmsg'],
      ['journald/audit', 'journald/kernel', 'kmsg'],
    ]).to.deep.include(await copies(container.pid));
    expect(violations.filter((v) => v.pid === container!.pid)).to.have.length(1);
    // The audit transport carries the records: the kernel transport is asked for warnings only.
    expect(journaldSource!.kernelTransport).to.equal('warnings');
  });

  it('a SCMP_ACT_KILL_PROCESS hit is one violation naming the container its reaped process ran in, and the container dies of SIGSYS', async () => {
    container = await startContainer({ profile: mkdirProfile('SCMP_ACT_KILL_PROCESS'), args: ['/bin/sh', '-c', PARKED_MKDIR] });
    container.send('go\n');
    const result = await container.exited;
    expect(result.exitCode).to.equal(128 + 31);
    const [violation] = await violationsOf(container.pid);
    expect(violation).to.deep.include({
      pid: container.pid,
      comm: 'mkdir',
      syscall: 'mkdir',
      action: 'SCMP_ACT_KILL_PROCESS',
      containerId: container.id,
      podUid: container.podUid,
    });
    // journald's audit transport has brought a record before (the test above): no kernel copy now.
    expect(await copies(container.pid)).to.deep.equal(['journald/audit', 'kmsg']);
    expect(violations.filter((v) => v.pid === container!.pid)).to.have.length(1);
  });
});
