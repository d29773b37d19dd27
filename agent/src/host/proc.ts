import path from 'node:path';
import { readOptional, readOptionalBytes, readdirOptional, readlinkOptional } from './fs.js';

/** What the checks need to know about one host process, read from <hostRoot>/proc/PID. */
export interface HostProcess {
  pid: number;
  ppid: number;
  /** argv as the process set it (cmdline split at NUL); empty for kernel threads. */
  argv: string[];
  comm: string;
  /** Effective uid from status; undefined when the field is absent. */
  uid: number | undefined;
  /** The host path of the executable ("" when /proc/PID/exe is unreadable). */
  exe: string;
  /** `Seccomp:` of status: 0 disabled, 1 strict, 2 filter; undefined when the field is absent. */
  seccomp: number | undefined;
  seccompFilters: number | undefined;
  /** The raw /proc/PID/cgroup text, "" when unreadable. */
  cgroup: string;
}

/** /proc/PID/cmdline: NUL-separated, usually NUL-terminated. */
export function parseCmdline(bytes: Buffer): string[] {
  const text = bytes.toString('utf8');
  const parts = text.split('\0');
  if (parts.at(-1) === '') parts.pop();
  return parts;
}

/** /proc/PID/status: `Key:\tvalue` lines. */
export function parseStatus(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

function intField(fields: Map<string, string>, key: string): number | undefined {
  const value = fields.get(key);
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/** `Uid:\treal\teffective\tsaved\tfs`: the effective one. */
function uidField(fields: Map<string, string>): number | undefined {
  const effective = fields.get('Uid')?.split(/\s+/)[1];
  return effective !== undefined && /^\d+$/.test(effective) ? Number(effective) : undefined;
}

/** argv[0]'s basename, or comm when argv is empty. */
export function programName(proc: Pick<HostProcess, 'argv' | 'comm'>): string {
  const argv0 = proc.argv[0];
  return argv0 ? path.posix.basename(argv0.split(' ')[0] ?? argv0) : proc.comm;
}

async function readProcess(procDir: string, pid: number): Promise<HostProcess | undefined> {
  const dir = path.join(procDir, String(pid));
  const [statusText, cmdline, comm, exe, cgroup] = await Promise.all([
    readOptional(path.join(dir, 'status')),
    readOptionalBytes(path.join(dir, 'cmdline')),
    readOptional(path.join(dir, 'comm')),
    readlinkOptional(path.join(dir, 'exe')),
    readOptional(path.join(dir, 'cgroup')),
  ]);
  // A process that exited between readdir and now leaves nothing readable: skip it.
  if (statusText === undefined && cmdline === undefined) return undefined;
  const status = parseStatus(statusText ?? '');
  return {
    pid,
    ppid: intField(status, 'PPid') ?? 0,
    argv: cmdline ? parseCmdline(cmdline) : [],
    comm: (comm ?? status.get('Name') ?? '').trim(),
    uid: uidField(status),
    exe: exe ?? '',
    seccomp: intField(status, 'Seccomp'),
    seccompFilters: intField(status, 'Seccomp_filters'),
    cgroup: cgroup ?? '',
  };
}

/** Every process in <hostRoot>/proc, in pid order. */
export async function listProcesses(hostRoot: string): Promise<HostProcess[]> {
  const procDir = path.join(hostRoot, 'proc');
  const pids = (await readdirOptional(procDir))
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .sort((a, b) => a - b);
  const procs = await Promise.all(pids.map((pid) => readProcess(procDir, pid)));
  return procs.filter((p): p is HostProcess => p !== undefined);
}
