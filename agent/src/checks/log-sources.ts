import type { CheckResult } from '@kubectl-seccomp/proto';
import { chooseSources } from '../violations/sources/index.js';
import type { NodeFacts } from './facts.js';
import { fail, pass } from './result.js';

const ID = 'log.sources';

/** What `watch` will read on this node: the violation sources' own choice, from the same probe. */
export function checkLogSources(facts: NodeFacts): CheckResult {
  const choices = chooseSources(facts.logs.probe, 'auto');
  const detail = choices.map((c) => `${c.name}: ${c.used ? 'read' : 'not read'} (${c.reason})`).join('\n');
  const used = choices.filter((c) => c.used).map((c) => c.name);
  if (used.length > 0) return pass(ID, `watch reads seccomp records from ${used.join(' and ')}`, detail);
  return fail(
    ID,
    'watch has no source of seccomp records on this node',
    detail,
    "Make /dev/kmsg readable by the agent (CAP_SYSLOG, hostPath CharDevice), or the host's journal with journalctl in the agent image.",
  );
}
