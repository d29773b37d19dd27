import { readFile } from 'node:fs/promises';

/** The `Seccomp:` mode of a process (0 none, 1 strict, 2 filter), from /proc/PID/status. */
export async function seccompMode(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /^Seccomp:\s+(\d)/m.exec(status);
  if (!m) throw new Error(`no Seccomp: line in /proc/${pid}/status`);
  return Number(m[1]);
}
