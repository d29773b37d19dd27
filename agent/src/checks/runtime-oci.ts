import type { CheckResult } from '@kubectl-seccomp/proto';
import { OCI_SEARCH_DIRS } from '../host/runtime.js';
import type { NodeFacts } from './facts.js';
import { FLAG_LOG_SINCE, activeOciRuntime, supportsFilterFlagLog } from './runtime-select.js';
import { pass, skip, warn } from './result.js';

const ID = 'runtime.oci';

export function checkOciRuntime(facts: NodeFacts): CheckResult {
  const oci = activeOciRuntime(facts);
  if (!oci) {
    const summary = 'no runc or crun binary found';
    const detail = `Looked in ${OCI_SEARCH_DIRS.join(', ')} under the host root.`;
    if (facts.hostRoot === '/' && !facts.kubelet) return skip(ID, summary, detail);
    return warn(ID, summary, `${detail} Whether denials can be logged on this node is unknown.`, "Mount the host's /usr under the agent's host root.");
  }
  const min = FLAG_LOG_SINCE[oci.name].join('.');
  const where = `${oci.path}${facts.runtime.configuredOci ? ` (configured in ${facts.runtime.configuredOci.source})` : ''}`;
  if (!oci.version) {
    return warn(
      ID,
      `${oci.name} found, version unknown: cannot tell whether denials can be made visible`,
      `${where}. SECCOMP_FILTER_FLAG_LOG needs ${oci.name} >= ${min}.`,
      `Check with ${oci.name} --version on the node.`,
    );
  }
  const how = oci.versionSource === 'binary' ? ' (read from the binary)' : '';
  if (supportsFilterFlagLog(oci)) {
    return pass(
      ID,
      `${oci.name} ${oci.version}: denials can be made visible (SECCOMP_FILTER_FLAG_LOG)`,
      `${where}${how}. Profiles with flags: ["SECCOMP_FILTER_FLAG_LOG"] log their ERRNO/TRAP hits.`,
    );
  }
  return warn(
    ID,
    `${oci.name} ${oci.version} ignores SECCOMP_FILTER_FLAG_LOG: ERRNO denials stay silent`,
    `${where}${how}. Only SCMP_ACT_LOG and KILL hits reach the log here, so watch cannot show what a default-ERRNO profile blocks.`,
    `Upgrade ${oci.name} to ${min} or later, or test profiles in audit mode (push --audit: SCMP_ACT_LOG instead of ERRNO).`,
  );
}
