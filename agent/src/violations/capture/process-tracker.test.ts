import { expect } from 'chai';
import { ProcessTracker } from './process-tracker.js';

const UID = '8d6e4f1c-2b3a-4c5d-9e8f-7a6b5c4d3e2f';
const ID_A = 'a'.repeat(64);
const ID_B = 'b'.repeat(64);
const containerPath = (id: string): string => `/kubepods/besteffort/pod${UID}/${id}`;
const A = { containerId: ID_A, podUid: UID, runtime: '' };
const B = { containerId: ID_B, podUid: UID, runtime: '' };

describe('ProcessTracker: pid -> container from process events', () => {
  let tracker: ProcessTracker;
  beforeEach(() => {
    tracker = new ProcessTracker({ retentionMs: 1000 });
    tracker.addCgroup(1, '/');
    tracker.apply({ kind: 'mkdir', cgroupId: 100, path: containerPath(ID_A) });
    tracker.apply({ kind: 'mkdir', cgroupId: 200, path: containerPath(ID_B) });
  });

  it('names a child that exited at once by the cgroup it was forked in', () => {
    tracker.apply({ kind: 'fork', pid: 50, cgroupId: 100, timeMs: 1000 });
    tracker.apply({ kind: 'exec', pid: 50, cgroupId: 100, timeMs: 1000.2 });
    tracker.apply({ kind: 'exit', pid: 50, timeMs: 1001 });
    expect(tracker.lookup(50, 1000)).to.deep.equal({ known: true, identity: A });
  });

  it('names a process moved into its container after fork (runc init), from the move on', () => {
    tracker.apply({ kind: 'fork', pid: 60, cgroupId: 1, timeMs: 1000 });
    tracker.apply({ kind: 'attach', pid: 60, cgroupId: 200, timeMs: 1100 });
    tracker.apply({ kind: 'exec', pid: 60, cgroupId: 200, timeMs: 1101 });
    tracker.apply({ kind: 'exit', pid: 60, timeMs: 1102 });
    expect(tracker.lookup(60, 1101)).to.deep.equal({ known: true, identity: B });
    expect(tracker.lookup(60, 1050)).to.deep.equal({ known: true, identity: undefined });
  });

  it('gives a reused pid to whoever held it at the record time', () => {
    tracker.apply({ kind: 'fork', pid: 70, cgroupId: 100, timeMs: 1000 });
    tracker.apply({ kind: 'exit', pid: 70, timeMs: 1010 });
    tracker.apply({ kind: 'fork', pid: 70, cgroupId: 200, timeMs: 1500 });
    expect(tracker.lookup(70, 1005)).to.deep.equal({ known: true, identity: A });
    expect(tracker.lookup(70, 1600)).to.deep.equal({ known: true, identity: B });
  });

  it("takes a record stamped by the coarse clock just before the exec as the exec's", () => {
    tracker.apply({ kind: 'fork', pid: 80, cgroupId: 1, timeMs: 1000.5 });
    tracker.apply({ kind: 'attach', pid: 80, cgroupId: 100, timeMs: 1003.7 });
    expect(tracker.lookup(80, 1001)).to.deep.equal({ known: true, identity: A });
  });

  it('says when it has no event about a pid, so the /proc fallback is asked', () => {
    expect(tracker.lookup(90, 1000)).to.deep.equal({ known: false });
    expect(tracker.knows(90)).to.equal(false);
  });

  it('knows processes from before it started, from the scan', () => {
    tracker.addProcess(91, 100);
    expect(tracker.lookup(91, 5000)).to.deep.equal({ known: true, identity: A });
  });

  it("names a removed container's processes for the retention time, then forgets them", () => {
    tracker.apply({ kind: 'fork', pid: 95, cgroupId: 100, timeMs: 1000 });
    tracker.apply({ kind: 'exit', pid: 95, timeMs: 1001 });
    tracker.apply({ kind: 'rmdir', cgroupId: 100 });
    expect(tracker.lookup(95, 1000)).to.deep.equal({ known: true, identity: A });
    tracker.apply({ kind: 'fork', pid: 96, cgroupId: 1, timeMs: 3000 });
    tracker.apply({ kind: 'exit', pid: 96, timeMs: 3001 });
    expect(tracker.knows(95)).to.equal(false);
    expect(tracker.lookup(95, 1000)).to.deep.equal({ known: false });
  });

  it('keeps live processes across the retention time', () => {
    tracker.apply({ kind: 'fork', pid: 97, cgroupId: 200, timeMs: 1000 });
    tracker.apply({ kind: 'fork', pid: 98, cgroupId: 1, timeMs: 9000 });
    tracker.apply({ kind: 'exit', pid: 98, timeMs: 9001 });
    expect(tracker.lookup(97, 9500)).to.deep.equal({ known: true, identity: B });
  });

  it('stays within its bound on pids, dropping the oldest', () => {
    const small = new ProcessTracker({ maxPids: 3 });
    for (let pid = 1; pid <= 5; pid++) small.apply({ kind: 'fork', pid, cgroupId: 1, timeMs: pid });
    expect(small.trackedPids).to.equal(3);
    expect(small.knows(1)).to.equal(false);
    expect(small.knows(5)).to.equal(true);
  });

  it('counts events the kernel could not hand over', () => {
    tracker.apply({ kind: 'lost', count: 3 });
    tracker.apply({ kind: 'lost', count: 2 });
    expect(tracker.lostEvents).to.equal(5);
  });
});
