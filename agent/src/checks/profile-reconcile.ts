import { READINESS_TAINT_KEY, type CheckResult } from '@kubectl-seccomp/proto';
import type { NodeFacts } from './facts.js';
import { fail, pass, plural, skip, warn } from './result.js';

const ID = 'profiles.reconcile';

/** Whether every recorded profile is on this node's disk, and what became of the readiness taint. */
export function checkProfileReconcile(facts: NodeFacts): CheckResult {
  const r = facts.reconcile;
  if (r === undefined) return skip(ID, 'this agent does not reconcile profile ConfigMaps (no Kubernetes API)');
  if (r.state === 'pending') {
    return warn(
      ID,
      'no reconcile has finished yet',
      `the profile ConfigMaps are not listed yet; the readiness taint ${READINESS_TAINT_KEY}, if the node has it, stays until one completes`,
      'Wait a moment; if it lasts, the agent cannot list ConfigMaps in its namespace: see its log (RBAC, API server reachable).',
    );
  }
  if (r.state === 'incomplete') {
    // Before the first complete reconcile the node may be kept tainted for it; after, it is a regression.
    const result = r.everComplete ? warn : fail;
    return result(
      ID,
      `the last reconcile left ${plural(r.problems.length, 'recorded profile problem')} on this node${r.everComplete ? '' : ': it never completed'}`,
      r.problems.join('\n'),
      r.everComplete
        ? 'Fix or delete the ConfigMaps named, or free the paths named on the node.'
        : `Fix or delete the ConfigMaps named, or free the paths named on the node; the readiness taint ${READINESS_TAINT_KEY} stays until a reconcile completes.`,
    );
  }
  const gate = r.gate;
  if (gate.state === 'forbidden' || gate.state === 'failed') {
    return warn(
      ID,
      'every recorded profile is on disk, but the readiness taint could not be removed',
      `${gate.state}: ${gate.error}`,
      gate.state === 'forbidden'
        ? "Grant the agent's ServiceAccount get and patch on nodes with the admission policy that limits it (manifests/base/readiness.yaml), or remove the taint by hand: kubectl taint nodes NODE " +
            `${READINESS_TAINT_KEY}:NoSchedule-`
        : 'The agent retries; see its log.',
    );
  }
  const taint = gate.state === 'removed' ? 'readiness taint removed' : 'no readiness taint on the node';
  return pass(ID, `every recorded profile is on disk; ${taint}`);
}
