import { constants } from 'node:fs';
import { access, open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { errorCode, inRoot, readOptional } from './fs.js';
import { programName, type HostProcess } from './proc.js';

export const DEFAULT_AUDIT_LOG = '/var/log/audit/audit.log';
export const JOURNAL_DIRS = ['/run/log/journal', '/var/log/journal'] as const;

/** Whether a file could be opened for reading: "" when it could, else the errno code. */
export interface Readability {
  path: string;
  error: string;
}

export interface LogFacts {
  auditdRunning: boolean;
  /** auditd's log_file (host path). */
  auditLog: Readability;
  journaldRunning: boolean;
  /** The journal dirs that exist on the host. */
  journalDirs: Readability[];
  kmsg: Readability;
  dmesgRestrict: number | undefined;
  printkRatelimit: number | undefined;
  printkRatelimitBurst: number | undefined;
}

/** `log_file = PATH` of auditd.conf. */
export function auditLogFile(conf: string | undefined): string {
  const m = /^\s*log_file\s*=\s*(\S+)\s*$/m.exec(conf ?? '');
  return m?.[1] ?? DEFAULT_AUDIT_LOG;
}

async function probeOpen(hostRoot: string, hostPath: string, flags: number): Promise<Readability> {
  try {
    const fh = await open(inRoot(hostRoot, hostPath), flags);
    await fh.close();
    return { path: hostPath, error: '' };
  } catch (err) {
    return { path: hostPath, error: errorCode(err) };
  }
}

async function probeDir(hostRoot: string, hostPath: string): Promise<Readability | undefined> {
  const dir = inRoot(hostRoot, hostPath);
  try {
    await access(dir, constants.F_OK);
  } catch {
    return undefined;
  }
  try {
    await readdir(dir);
    await access(dir, constants.R_OK | constants.X_OK);
    return { path: hostPath, error: '' };
  } catch (err) {
    return { path: hostPath, error: errorCode(err) };
  }
}

function intOf(text: string | undefined): number | undefined {
  const t = text?.trim();
  return t !== undefined && /^\d+$/.test(t) ? Number(t) : undefined;
}

export async function readLogs(hostRoot: string, procs: readonly HostProcess[]): Promise<LogFacts> {
  const running = (name: string) => procs.some((p) => p.comm === name || programName(p) === name);
  const at = (p: string) => path.join(hostRoot, p);
  const auditdRunning = running('auditd');
  const logFile = auditLogFile(await readOptional(at('etc/audit/auditd.conf')));
  const journalDirs = (await Promise.all(JOURNAL_DIRS.map((d) => probeDir(hostRoot, d)))).filter(
    (d): d is Readability => d !== undefined,
  );
  return {
    auditdRunning,
    auditLog: await probeOpen(hostRoot, logFile, constants.O_RDONLY),
    journaldRunning: running('systemd-journald') || running('systemd-journal'),
    journalDirs,
    // Non-blocking: opening kmsg never waits, and nothing is read.
    kmsg: await probeOpen(hostRoot, '/dev/kmsg', constants.O_RDONLY | constants.O_NONBLOCK),
    dmesgRestrict: intOf(await readOptional(at('proc/sys/kernel/dmesg_restrict'))),
    printkRatelimit: intOf(await readOptional(at('proc/sys/kernel/printk_ratelimit'))),
    printkRatelimitBurst: intOf(await readOptional(at('proc/sys/kernel/printk_ratelimit_burst'))),
  };
}
