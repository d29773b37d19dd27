import type { BindOutput, UnbindOutput } from '../output/types.js';
import { columns } from './table.js';

/** What was (or would be) applied, then each node the pods may run on. */
export function renderBind(out: BindOutput): string {
  const where = out.container ? `container ${out.container}` : 'the pod template';
  const verb = out.dryRun ? 'would bind' : 'bound';
  const head = `${out.namespace}/${out.workload}: ${verb} ${where} to Localhost ${out.localhostProfile}${out.forced ? ' (--force: not every node is ready)' : ''}`;
  const rows = out.nodes.map((n) => [n.node, n.status, n.reason || n.path]);
  const excluded = out.excluded.map((e) => [e.node, 'not eligible', e.reason]);
  const table = rows.length + excluded.length ? columns([...rows, ...excluded], 2, ['NODE', 'PROFILE', 'DETAIL']) : '  no node the pods can be scheduled to';
  return `${head}\n${table}`;
}

export function renderUnbind(out: UnbindOutput): string {
  return `${out.namespace}/${out.workload}: ${out.dryRun ? 'would remove' : 'removed'} the seccompProfile fields kubectl-seccomp set`;
}
