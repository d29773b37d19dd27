import type { StatusOutput } from '../output/types.js';
import { columns } from './table.js';
import { plural } from './words.js';

/** One block per profile: its nodes, then the containers using it with what is wrong. */
export function renderStatus(out: StatusOutput): string {
  const blocks = out.profiles.map((p) => {
    const nodes = p.nodes.map((n) => [n.node, n.status, n.sha256.slice(0, 12), n.changedUnixMs ? new Date(n.changedUnixMs).toISOString() : '']);
    const containers = p.containers.map((c) => {
      const flags = [c.stale ? 'STALE: started before the profile was updated, restart it' : '', c.notFiltered ? `NOT FILTERED: seccomp mode ${c.mode}` : '']
        .filter(Boolean)
        .join('; ');
      return [`${c.namespace}/${c.pod}`, c.container, c.node || '(unscheduled)', c.mode, flags || 'ok'];
    });
    const parts = [`${p.localhostProfile}${p.recorded ? '' : ' (not recorded)'}`, columns(nodes, 2, ['NODE', 'PROFILE', 'SHA256', 'WRITTEN'])];
    parts.push(containers.length ? columns(containers, 2, ['POD', 'CONTAINER', 'NODE', 'MODE', 'STATUS']) : '  no pod references it');
    return parts.join('\n');
  });
  const unreachable = out.unreachable.map((u) => `! ${u.node}: ${u.reason}`);
  const s = out.summary;
  const total = `${plural(s.profiles, 'profile')} (${s.outOfSync} out of sync), ${plural(s.containers, 'container')}: ${s.stale} stale, ${s.notFiltered} not filtered`;
  return [...blocks, ...unreachable, '', total].join('\n');
}
