import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A private systemd-journald for a test, without touching the machine's own journal.
 *
 * journald is started as root in a new mount namespace (`unshare --mount`, propagation private),
 * where a tmpfs over /run gives it fresh sockets (/run/systemd/journal/...), the test's directory is
 * bind-mounted at /run/log/journal (volatile storage), and a tmpfs over /etc/systemd holds a
 * journald.conf of ours (so the host's drop-ins do not apply). Everything else is the host's: it
 * reads the real /dev/kmsg (kernel transport, whose backlog it imports at start) and joins the
 * audit netlink multicast group (audit transport), so a seccomp record reaches it twice, as on a
 * real node. The namespace and its mounts vanish with the process.
 *
 * Checked on Debian 12 (systemd 252, kernel 6.18, no systemd as PID 1, no journald running).
 * Debian's journald switches kernel auditing off at start (`Audit=no` is its default); the config
 * says so explicitly: seccomp records are logged with auditing off too.
 */
export const JOURNALD_BINARY = '/lib/systemd/systemd-journald';

const CONFIG = `[Journal]
Storage=volatile
RuntimeMaxUse=64M
RateLimitIntervalSec=0
ReadKMsg=yes
Audit=no
ForwardToSyslog=no
ForwardToKMsg=no
ForwardToConsole=no
ForwardToWall=no
`;

const SETUP = `set -e
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -p /run/systemd/journal /run/log/journal
mount --bind "$1/journal" /run/log/journal
mount -t tmpfs -o mode=0755 tmpfs /etc/systemd
cp "$1/journald.conf" /etc/systemd/journald.conf
exec "$2"
`;

export interface TestJournald {
  /** The journal directory: `journalctl --directory=<journalDir>` reads it. */
  journalDir: string;
  /** Arguments that point journalctl at this journal. */
  journalctlArgs: string[];
  /** journald's pid. */
  pid: number;
  /** Stops journald (by its pid) and removes its directory. */
  stop(): Promise<void>;
}

/** undefined when a test journald can be started here, else the reason it cannot. */
export async function journaldAvailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'starting journald needs root';
  for (const binary of [JOURNALD_BINARY, '/usr/bin/unshare', '/usr/bin/journalctl']) {
    try {
      await access(binary, constants.X_OK);
    } catch {
      return `${binary} is missing`;
    }
  }
  try {
    await stat('/etc/systemd');
  } catch {
    return '/etc/systemd is missing (needed as a mount point)';
  }
  return undefined;
}

export async function startJournald(opts: { readyTimeoutMs?: number } = {}): Promise<TestJournald> {
  const missing = await journaldAvailable();
  if (missing) throw new Error(`cannot start a test journald: ${missing}`);
  const dir = await mkdtemp(join(tmpdir(), 'seccomp-test-journald-'));
  const journalDir = join(dir, 'journal');
  await mkdir(journalDir);
  await writeFile(join(dir, 'journald.conf'), CONFIG);

  const child = spawn('/usr/bin/unshare', ['--mount', '--propagation', 'private', '/bin/sh', '-c', SETUP, 'sh', dir, JOURNALD_BINARY], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4096);
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async (): Promise<void> => {
    await stopChild(child, exited);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await waitForJournal(journalDir, child, opts.readyTimeoutMs ?? 10_000);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}${stderr ? `; journald said: ${stderr.trim()}` : ''}`);
  }
  return { journalDir, journalctlArgs: [`--directory=${journalDir}`], pid: child.pid!, stop };
}

/** Ready once journald has created its journal file (its sockets are open by then). */
async function waitForJournal(journalDir: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`journald exited at start (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    for (const machine of await readdir(journalDir)) {
      if ((await readdir(join(journalDir, machine))).includes('system.journal')) return;
    }
    await sleep(20);
  }
  throw new Error(`journald did not create a journal in ${journalDir} within ${timeoutMs} ms`);
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}
