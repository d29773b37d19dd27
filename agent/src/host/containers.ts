import type { ContainerProcess, SeccompMode } from '@kubectl-seccomp/proto';
import { parseCgroup } from './cgroup.js';
import type { HostProcess } from './proc.js';

export function seccompMode(field: number | undefined): SeccompMode {
  switch (field) {
    case 0:
      return 'disabled';
    case 1:
      return 'strict';
    case 2:
      return 'filter';
    default:
      return 'unknown';
  }
}

/**
 * One entry per container: its init process (the one whose parent is outside the container;
 * the lowest such pid), which carries the seccomp filter the runtime installed.
 */
export function containersOf(procs: readonly HostProcess[]): ContainerProcess[] {
  const byContainer = new Map<string, { podUid: string; procs: HostProcess[] }>();
  for (const proc of procs) {
    const id = proc.cgroup ? parseCgroup(proc.cgroup) : undefined;
    if (!id?.containerId) continue;
    const entry = byContainer.get(id.containerId) ?? { podUid: id.podUid, procs: [] };
    entry.procs.push(proc);
    byContainer.set(id.containerId, entry);
  }
  const containers: ContainerProcess[] = [];
  for (const [containerId, { podUid, procs: members }] of byContainer) {
    const pids = new Set(members.map((p) => p.pid));
    const sorted = [...members].sort((a, b) => a.pid - b.pid);
    const init = sorted.find((p) => !pids.has(p.ppid)) ?? sorted[0];
    if (!init) continue;
    containers.push({
      containerId,
      podUid,
      pid: init.pid,
      comm: init.comm,
      mode: seccompMode(init.seccomp),
      filters: init.seccompFilters ?? 0,
    });
  }
  return containers.sort((a, b) => a.pid - b.pid);
}
