import type { Violation, ViolationFilter } from '@kubectl-seccomp/proto';

export type ViolationPredicate = (v: Violation) => boolean;

/** A filter names what a person typed: these bound what one request can make the agent hold. */
export const MAX_FILTER_VALUES = 256;
export const MAX_FILTER_VALUE_LENGTH = 253;

/** Why a filter is refused, or undefined. */
export function filterProblem(filter: ViolationFilter): string | undefined {
  for (const [field, values] of Object.entries(filter) as [string, readonly string[]][]) {
    if (values.length > MAX_FILTER_VALUES) return `filter ${field}: ${values.length} values; at most ${MAX_FILTER_VALUES} allowed`;
    if (values.some((v) => v.length > MAX_FILTER_VALUE_LENGTH)) return `filter ${field}: a value longer than ${MAX_FILTER_VALUE_LENGTH} characters`;
  }
  return undefined;
}

/** OR within a field, AND across fields; an empty field does not filter. */
export function compileFilter(filter: ViolationFilter): ViolationPredicate {
  const checks: ViolationPredicate[] = [];
  const add = (values: readonly string[], pick: (v: Violation) => string): void => {
    if (values.length === 0) return;
    const allowed = new Set(values);
    checks.push((v) => allowed.has(pick(v)));
  };
  add(filter.namespaces, (v) => v.namespace);
  add(filter.pods, (v) => v.pod);
  add(filter.containers, (v) => v.container);
  add(filter.syscalls, (v) => v.syscall);
  // SCMP_ACT_KILL is libseccomp's older name for SCMP_ACT_KILL_THREAD: a user may ask for either.
  add(
    filter.actions.flatMap((a) => (a === 'SCMP_ACT_KILL' ? [a, 'SCMP_ACT_KILL_THREAD'] : [a])),
    (v) => v.action,
  );
  return (v) => checks.every((check) => check(v));
}

/**
 * Violations a namespace/pod/container filter rejects only because no pod is known for them (the
 * process exited before it could be named, or the agent has no API): they may belong to the pods
 * asked for, so streams count them (StreamStats.unattributed) instead of dropping them silently.
 * undefined when the filter names no pod-level field.
 */
export function compileUnplaceable(filter: ViolationFilter): ViolationPredicate | undefined {
  if (filter.namespaces.length + filter.pods.length + filter.containers.length === 0) return undefined;
  const rest = compileFilter({ ...filter, namespaces: [], pods: [], containers: [] });
  return (v) => v.pod === '' && rest(v);
}
