import type { ViolationSource } from '@kubectl-seccomp/proto';
import { constants } from 'node:fs';
import { access, open, readdir, readFile, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import type { CaptureFacts } from '../../checks/capture-mode.js';
import type { Logger } from '../../log.js';
import type { RecordSource } from '../source.js';
import { AuditLogSource, DEFAULT_AUDIT_LOG } from './audit-log.js';
import { AuditNetlinkSource, probeAuditNetlink, type AuditNetlinkSourceOptions } from './audit-netlink.js';
import { chooseSources, type NodeLogFacts, type SourceChoice } from './choose.js';
import { JournaldSource } from './journald.js';
import { KmsgSource } from './kmsg.js';
import { besideAuditGroup } from './beside-audit-group.js';

export interface SourceResolveOptions {
  /** The journalctl to run; default: `journalctl` found on PATH. */
  journalctl?: string;
  /** Read this journal directory instead of the host's. */
  journalDirectory?: string;
  /** The seccomp-capture binary; default: findCaptureHelper(). */
  captureHelper?: string;
  /** Read the audit multicast group from this relay socket instead of joining it here. */
  auditRelay?: string;
  logger?: Logger;
}

export interface SourceResolution {
  sources: RecordSource[];
  /** One entry per known source: used or not, and why (for the log and `doctor`). */
  choices: SourceChoice[];
}

/** `--sources auto|kmsg,journald,auditlog` -> the sources to start, with the reasons. */
export async function resolveSources(
  hostRoot: string,
  requested: 'auto' | readonly ViolationSource[],
  opts: SourceResolveOptions = {},
): Promise<SourceResolution> {
  const facts = await probeNodeLogs(hostRoot, opts);
  if (requested === 'auto' || requested.includes('netlink')) facts.auditNetlink = await probeAuditNetlink(netlinkOptions(opts));
  const choices = chooseSources(facts, requested);
  const sources: RecordSource[] = [];
  const kmsgUsed = choices.some((c) => c.name === 'kmsg' && c.used);
  const netlinkUsed = choices.some((c) => c.name === 'netlink' && c.used);
  for (const choice of choices) {
    if (!choice.used) continue;
    if (choice.name === 'kmsg') {
      const kmsg = new KmsgSource({ hostRoot, ...logger(opts) });
      sources.push(netlinkUsed ? besideAuditGroup(kmsg) : kmsg);
    }
    if (choice.name === 'netlink') sources.push(new AuditNetlinkSource({ ...netlinkOptions(opts), ...logger(opts) }));
    if (choice.name === 'auditlog') sources.push(new AuditLogSource({ hostRoot, logFile: facts.auditLogFile, ...logger(opts) }));
    if (choice.name === 'journald') {
      sources.push(
        new JournaldSource({
          hostRoot,
          ...(facts.journalctl ? { journalctl: facts.journalctl } : {}),
          ...(opts.journalDirectory ? { directory: opts.journalDirectory } : {}),
          // kmsg already brings the kernel ring's records and reports; journald then adds its audit transport.
          kernelTransport: kmsgUsed ? 'none' : 'all',
          ...logger(opts),
        }),
      );
    }
  }
  return { sources, choices };
}

/** What doctor's capture check reads: the sources chosen and process tracking's state. */
export function captureFacts(choices: SourceChoice[], processTracking: { used: boolean; reason: string }): CaptureFacts {
  const netlink = choices.find((c) => c.name === 'netlink');
  return {
    auditNetlink: { used: Boolean(netlink?.used), reason: netlink?.reason ?? 'not known' },
    processTracking,
    sources: choices.filter((c) => c.used).map((c) => c.name),
  };
}

function netlinkOptions(opts: SourceResolveOptions): AuditNetlinkSourceOptions {
  return { ...(opts.captureHelper ? { helper: opts.captureHelper } : {}), ...(opts.auditRelay ? { relaySocket: opts.auditRelay } : {}) };
}

function logger(opts: SourceResolveOptions): { logger?: Logger } {
  return opts.logger ? { logger: opts.logger } : {};
}

/** Looks at the host (under hostRoot) for auditd, journald, journalctl and /dev/kmsg. */
export async function probeNodeLogs(hostRoot: string, opts: Pick<SourceResolveOptions, 'journalctl' | 'journalDirectory'> = {}): Promise<NodeLogFacts> {
  const running = await runningCommands(join(hostRoot, 'proc'));
  const auditLogFile = await auditdLogFile(hostRoot);
  const journalDirs = opts.journalDirectory ? [opts.journalDirectory] : ['var/log/journal', 'run/log/journal'].map((d) => join(hostRoot, d));
  return {
    auditdRunning: running.has('auditd'),
    auditLogFile,
    auditLogPresent: await exists(join(hostRoot, auditLogFile)),
    // comm is cut at 15 characters: systemd-journald shows as systemd-journal.
    journaldRunning: running.has('systemd-journal'),
    journalPresent: (await Promise.all(journalDirs.map(exists))).some(Boolean),
    journalctl: await findExecutable(opts.journalctl ?? 'journalctl'),
    kmsgError: await unreadable(join(hostRoot, 'dev/kmsg')),
  };
}

async function runningCommands(procDir: string): Promise<Set<string>> {
  const names = new Set<string>();
  let entries: string[];
  try {
    entries = await readdir(procDir);
  } catch {
    return names;
  }
  await Promise.all(
    entries
      .filter((e) => /^\d+$/.test(e))
      .map(async (pid) => {
        try {
          names.add((await readFile(join(procDir, pid, 'comm'), 'utf8')).trimEnd());
        } catch {
          // The process ended while we looked.
        }
      }),
  );
  return names;
}

/** auditd.conf `log_file`, relative to the host root; the default when unset or unreadable. */
async function auditdLogFile(hostRoot: string): Promise<string> {
  try {
    const conf = await readFile(join(hostRoot, 'etc/audit/auditd.conf'), 'utf8');
    const match = /^\s*log_file\s*=\s*(\S+)\s*$/m.exec(conf);
    if (match?.[1] && isAbsolute(match[1])) return match[1].replace(/^\/+/, '');
  } catch {
    // No auditd.conf: auditd's compiled-in default applies.
  }
  return DEFAULT_AUDIT_LOG;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function findExecutable(name: string): Promise<string | undefined> {
  const candidates = name.includes('/')
    ? [name]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((d) => join(d, name));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; try the next PATH entry.
    }
  }
  return undefined;
}

async function unreadable(path: string): Promise<string | undefined> {
  try {
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    await handle.close();
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  }
}
