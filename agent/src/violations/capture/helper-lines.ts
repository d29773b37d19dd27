/**
 * The lines `seccomp-capture` (agent/native) prints, read into events. Pure: the helper's protocol in
 * one place, so the process adapter only frames lines and the tracker only applies events.
 */

export type ProcEvent =
  /** A new process (not a thread), in its parent's cgroup. */
  | { kind: 'fork'; pid: number; cgroupId: number; timeMs: number }
  /** The process ran execve(), in this cgroup. */
  | { kind: 'exec'; pid: number; cgroupId: number; timeMs: number }
  /** The process was moved into this cgroup (runc, containerd and CRI-O place a container's first process so). */
  | { kind: 'attach'; pid: number; cgroupId: number; timeMs: number }
  | { kind: 'exit'; pid: number; timeMs: number }
  | { kind: 'mkdir'; cgroupId: number; path: string }
  | { kind: 'rmdir'; cgroupId: number }
  /** The kernel had no room for this many events (the ring buffer was full). */
  | { kind: 'lost'; count: number }
  | { kind: 'ready' }
  | { kind: 'sync'; token: number };

export type AuditEvent =
  /** One type=1326 record's text as the audit multicast group carries it: `audit(SECONDS.MS:SERIAL): auid=...`. */
  | { kind: 'seccomp'; text: string }
  /** The socket's receive buffer overflowed: records were dropped, the kernel does not say how many. */
  | { kind: 'overrun' }
  /** From the relay: this many records came while no agent was connected. */
  | { kind: 'missed'; count: number }
  | { kind: 'ready' };

const UINT = /^\d{1,10}$/;
/** cgroup ids are inode numbers: far below 2^53 in practice, checked anyway. */
const ID = /^\d{1,15}$/;
const TIME = /^\d{1,16}(?:\.\d{1,6})?$/;

/** One line of `seccomp-capture procs`; undefined when it is not one the protocol defines. */
export function parseProcLine(line: string): ProcEvent | undefined {
  const space = line.indexOf(' ');
  const verb = space < 0 ? line : line.slice(0, space);
  if (verb === 'mkdir') {
    const second = line.indexOf(' ', space + 1);
    const id = line.slice(space + 1, second);
    const path = line.slice(second + 1);
    return second > 0 && ID.test(id) && path.startsWith('/') ? { kind: 'mkdir', cgroupId: Number(id), path } : undefined;
  }
  const f = space < 0 ? [] : line.slice(space + 1).split(' ');
  switch (verb) {
    case 'fork':
    case 'exec':
    case 'attach':
      if (f.length !== 3 || !UINT.test(f[0]!) || !ID.test(f[1]!) || !TIME.test(f[2]!)) return undefined;
      return { kind: verb, pid: Number(f[0]), cgroupId: Number(f[1]!), timeMs: Number(f[2]) };
    case 'exit':
      if (f.length !== 2 || !UINT.test(f[0]!) || !TIME.test(f[1]!)) return undefined;
      return { kind: 'exit', pid: Number(f[0]), timeMs: Number(f[1]) };
    case 'rmdir':
      return f.length === 1 && ID.test(f[0]!) ? { kind: 'rmdir', cgroupId: Number(f[0]!) } : undefined;
    case 'lost':
      return f.length === 1 && ID.test(f[0]!) ? { kind: 'lost', count: Number(f[0]) } : undefined;
    case 'sync':
      return f.length === 1 && UINT.test(f[0]!) ? { kind: 'sync', token: Number(f[0]) } : undefined;
    case 'ready':
      return f.length === 0 ? { kind: 'ready' } : undefined;
    default:
      return undefined;
  }
}

/** One line of `seccomp-capture audit`; undefined when it is not one the protocol defines. */
export function parseAuditLine(line: string): AuditEvent | undefined {
  if (line.startsWith('seccomp ')) return { kind: 'seccomp', text: line.slice(8) };
  if (line === 'overrun') return { kind: 'overrun' };
  if (line === 'ready') return { kind: 'ready' };
  const missed = /^missed (\d{1,15})$/.exec(line);
  return missed ? { kind: 'missed', count: Number(missed[1]) } : undefined;
}
