import { ACTIONS } from '@kubectl-seccomp/profiles';
import type { ViolationFilter, WatchViolationsRequest } from '@kubectl-seccomp/proto';
import { UserError } from '../../errors.js';

/** How often agents are asked for stats: often enough that a fresh stream shows up as connected quickly. */
export const STATS_INTERVAL_MS = 1000;

/**
 * "log", "kill-process", "KILL_PROCESS", "scmp_act_errno" -> the SCMP_ACT_* name the agent filters on.
 * Unknown names are a user error naming the flag: a typo must not silently match nothing.
 */
export function normalizeAction(input: string): string {
  const bare = input
    .trim()
    .toUpperCase()
    .replace(/-/g, '_')
    .replace(/^SCMP_ACT_/, '');
  const name = `SCMP_ACT_${bare}`;
  if (!(ACTIONS as readonly string[]).includes(name)) {
    const known = ACTIONS.map((a) => a.slice('SCMP_ACT_'.length).toLowerCase()).join(', ');
    throw new UserError(`--action "${input}" is not a seccomp action (one of: ${known})`);
  }
  return name;
}

export interface FilterInput {
  namespaces?: string[];
  pods?: string[];
  containers?: string[];
  syscalls?: string[];
  actions?: string[];
}

/** Flag values -> the agent-side filter: empty lists mean "any", duplicates removed. */
export function buildFilter(input: FilterInput): ViolationFilter {
  const clean = (values: string[] | undefined): string[] => [...new Set((values ?? []).map((v) => v.trim()).filter((v) => v !== ''))];
  return {
    namespaces: clean(input.namespaces),
    pods: clean(input.pods),
    containers: clean(input.containers),
    syscalls: clean(input.syscalls),
    actions: [...new Set(clean(input.actions).map(normalizeAction))],
  };
}

/** The request every node is sent; sinceMs (e.g. --since 5m) is turned into an absolute time now. */
export function buildRequest(filter: ViolationFilter, sinceMs: number | undefined, now: number): WatchViolationsRequest {
  return {
    filter,
    sinceUnixMs: sinceMs === undefined ? 0 : Math.max(1, now - sinceMs),
    statsIntervalMs: STATS_INTERVAL_MS,
    maxQueue: 0,
  };
}

/** One line for the header and for stderr: what the agents are filtering on. */
export function describeFilter(filter: ViolationFilter): string {
  const parts: string[] = [];
  const add = (label: string, values: string[]): void => {
    if (values.length > 0) parts.push(`${label}=${values.join(',')}`);
  };
  add('namespace', filter.namespaces);
  add('pod', filter.pods);
  add('container', filter.containers);
  add('syscall', filter.syscalls);
  add(
    'action',
    filter.actions.map((a) => a.replace(/^SCMP_ACT_/, '').toLowerCase()),
  );
  return parts.join(' ');
}
