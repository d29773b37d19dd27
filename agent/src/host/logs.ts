import { constants } from 'node:fs';
import { access, open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { probeNodeLogs, type NodeLogFacts } from '../violations/sources/index.js';
import { errorCode, inRoot, readOptional } from './fs.js';

export const JOURNAL_DIRS = ['/run/log/journal', '/var/log/journal'] as const;

/** Whether a file could be opened for reading: "" when it could, else the errno code. */
export interface Readability {
  path: string;
  error: string;
}

export interface LogFacts {
  /** The probe the violation sources choose from: doctor and watch see the node the same way. */
  probe: NodeLogFacts;
  /** auditd's log_file (host path), opened for reading. */
  auditLog: Readability;
  /** The journal dirs that exist on the host. */
  journalDirs: Readability[];
  kmsg: Readability;
  dmesgRestrict: number | undefined;
  printkRatelimit: number | undefined;
  printkRatelimitBurst: number | undefined;
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

/** `journalctl`: the binary the journald source would run (default: found on PATH). */
export async function readLogs(hostRoot: string, journalctl?: string): Promise<LogFacts> {
  const at = (p: string) => path.join(hostRoot, p);
  const probe = await probeNodeLogs(hostRoot, journalctl ? { journalctl } : {});
  const journalDirs = (await Promise.all(JOURNAL_DIRS.map((d) => probeDir(hostRoot, d)))).filter((d): d is Readability => d !== undefined);
  return {
    probe,
    auditLog: await probeOpen(hostRoot, `/${probe.auditLogFile}`, constants.O_RDONLY),
    journalDirs,
    kmsg: { path: '/dev/kmsg', error: probe.kmsgError ?? '' },
    dmesgRestrict: intOf(await readOptional(at('proc/sys/kernel/dmesg_restrict'))),
    printkRatelimit: intOf(await readOptional(at('proc/sys/kernel/printk_ratelimit'))),
    printkRatelimitBurst: intOf(await readOptional(at('proc/sys/kernel/printk_ratelimit_burst'))),
  };
}
