import type { CheckResult } from '@kubectl-seccomp/proto';
import type { NodeFacts } from './facts.js';
import { plural, pass, skip, warn } from './result.js';

const ID = 'profiles.configmaps';

export function checkProfileConfigMaps(facts: NodeFacts): CheckResult {
  const skipped = facts.skippedConfigMaps;
  if (skipped === undefined) return skip(ID, 'this agent does not reconcile profile ConfigMaps (no Kubernetes API)');
  if (skipped.length === 0) return pass(ID, 'every profile ConfigMap applies on this node');
  return warn(
    ID,
    `${plural(skipped.length, 'profile ConfigMap')} not applied on this node`,
    skipped.map((s) => `${s.configMap}: ${s.reason}`).join('\n'),
    'Fix or delete these ConfigMaps (kubectl seccomp push rewrites them); the others are applied meanwhile.',
  );
}
