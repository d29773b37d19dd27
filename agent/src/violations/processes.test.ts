import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ProcessIdentities, startTimeFromStat } from './processes.js';

const ID_A = 'a'.repeat(64);
const ID_B = 'b'.repeat(64);
const UID = '8d6e4f1c-2b3a-4c5d-9e8f-7a6b5c4d3e2f';

function stat(pid: number, comm: string, startTime: number): string {
  // Real layout: pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
  // utime stime cutime cstime priority nice num_threads itrealvalue starttime ...
  return `${pid} (${comm}) S 1 ${pid} ${pid} 0 -1 4194560 120 0 0 0 0 0 0 0 20 0 1 0 ${startTime} 2224128 179 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0\n`;
}

function cgroup(id: string): string {
  return `0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${UID.replaceAll('-', '_')}.slice/cri-containerd-${id}.scope\n`;
}

describe('ProcessIdentities: pid -> container through <hostRoot>/proc', () => {
  let root: string;
  let clock: number;
  /** Every call is a new look at /proc unless the test says otherwise. */
  const identities = (maxEntries?: number): ProcessIdentities =>
    new ProcessIdentities(root, { now: () => (clock += 1000), ...(maxEntries ? { maxEntries } : {}) });
  const writeProc = (pid: number, statText: string, cgroupText: string): void => {
    const dir = join(root, 'proc', String(pid));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'stat'), statText);
    writeFileSync(join(dir, 'cgroup'), cgroupText);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'seccomp-proc-'));
    clock = 0;
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('reads start time after a comm that holds spaces and parentheses', () => {
    expect(startTimeFromStat(stat(42, 'my (odd) proc', 987654))).to.equal('987654');
    expect(startTimeFromStat('garbage')).to.equal(undefined);
  });

  it('names the container of a live process', () => {
    writeProc(100, stat(100, 'mkdir', 5000), cgroup(ID_A));
    expect(identities().identify(100)).to.deep.equal({ containerId: ID_A, podUid: UID, runtime: 'containerd' });
  });

  it('reports nothing for a process already gone', () => {
    expect(identities().identify(4242)).to.equal(undefined);
  });

  it('caches by pid and start time', () => {
    const procs = identities();
    writeProc(100, stat(100, 'mkdir', 5000), cgroup(ID_A));
    procs.identify(100);
    // Same process (same start time): the cgroup file is not read again.
    writeFileSync(join(root, 'proc', '100', 'cgroup'), cgroup(ID_B));
    expect(procs.identify(100)?.containerId).to.equal(ID_A);
  });

  it('does not mistake a reused pid for the process that had it before', () => {
    const procs = identities();
    writeProc(100, stat(100, 'mkdir', 5000), cgroup(ID_A));
    expect(procs.identify(100)?.containerId).to.equal(ID_A);
    writeProc(100, stat(100, 'touch', 9000), cgroup(ID_B));
    expect(procs.identify(100)?.containerId).to.equal(ID_B);
  });

  it('forgets a process once it is gone', () => {
    const procs = identities();
    writeProc(100, stat(100, 'mkdir', 5000), cgroup(ID_A));
    procs.identify(100);
    rmSync(join(root, 'proc', '100'), { recursive: true });
    expect(procs.identify(100)).to.equal(undefined);
  });

  it('stays within its size bound', () => {
    const procs = identities(2);
    for (const pid of [1, 2, 3]) writeProc(pid, stat(pid, 'p', 10), cgroup(ID_A));
    for (const pid of [1, 2, 3]) procs.identify(pid);
    // pid 1 was evicted: its changed cgroup is read again.
    writeFileSync(join(root, 'proc', '1', 'cgroup'), cgroup(ID_B));
    expect(procs.identify(1)?.containerId).to.equal(ID_B);
  });

  it('trusts the identity of a live pid during a burst of records', () => {
    let now = 0;
    const procs = new ProcessIdentities(root, { recheckMs: 200, now: () => now });
    writeProc(100, stat(100, 'mkdir', 5000), cgroup(ID_A));
    expect(procs.identify(100)?.containerId).to.equal(ID_A);
    rmSync(join(root, 'proc', '100'), { recursive: true });
    now = 199;
    expect(procs.identify(100)?.containerId).to.equal(ID_A);
    now = 200;
    expect(procs.identify(100)).to.equal(undefined);
  });

  it('looks a pid found gone up again for a record received later: the pid may belong to a new process by then', () => {
    const procs = identities();
    expect(procs.identify(7)).to.equal(undefined);
    writeProc(7, stat(7, 'late', 6000), cgroup(ID_B));
    expect(procs.identify(7)?.containerId).to.equal(ID_B);
  });

  it('within a batch, a pid found gone is gone for every record of the batch, and only for them', () => {
    const procs = identities();
    procs.batch(() => {
      expect(procs.identify(7)).to.equal(undefined);
      // A process that got pid 7 after the look cannot have made a record received before the batch.
      writeProc(7, stat(7, 'late', 6000), cgroup(ID_B));
      expect(procs.identify(7)).to.equal(undefined);
    });
    expect(procs.identify(7)?.containerId).to.equal(ID_B);
    procs.batch(() => expect(procs.identify(7)?.containerId).to.equal(ID_B));
  });

  it('lists /proc once when a batch has many lookups, and reads the processes it lists', () => {
    const procs = new ProcessIdentities(root, { now: () => (clock += 1000), listAfterLooks: 2 });
    writeProc(100, stat(100, 'mkdir', 5000), cgroup(ID_A));
    procs.batch(() => {
      expect([1, 2, 3].map((pid) => procs.identify(pid))).to.deep.equal([undefined, undefined, undefined]);
      // Listed on the third look: pid 9, started after the listing, is absent from it, hence gone for this batch.
      writeProc(9, stat(9, 'late', 6000), cgroup(ID_B));
      expect(procs.identify(9)).to.equal(undefined);
      expect(procs.identify(100)?.containerId).to.equal(ID_A);
    });
    expect(procs.identify(9)?.containerId).to.equal(ID_B);
  });

  it('works without a listing when /proc cannot be listed', () => {
    const procs = new ProcessIdentities(join(root, 'missing'), { listAfterLooks: 0 });
    procs.batch(() => expect(procs.identify(1)).to.equal(undefined));
  });
});
