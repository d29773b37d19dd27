import type { StatusOutput } from '../output/types.js';
import { columns, type TableView } from './table.js';
import { plural } from './words.js';

/** One block per profile: its nodes, then the containers using it with what is wrong (wide: whole digests, container IDs, start times). */
export function renderStatus(out: StatusOutput, view: TableView = {}): string {
  const blocks = out.profiles.map((p) => {
    const nodes = p.nodes.map((n) => {
      const written = n.changedUnixMs ? new Date(n.changedUnixMs).toISOString() : '';
      return view.wide ? [n.node, n.status, n.sha256, n.expected, n.path, written] : [n.node, n.status, n.sha256.slice(0, 12), written];
    });
    const containers = p.containers.map((c) => {
      const flags = [c.stale ? 'STALE: started before the profile was updated, restart it' : '', c.notFiltered ? `NOT FILTERED: seccomp mode ${c.mode}` : '']
        .filter(Boolean)
        .join('; ');
      const row = [`${c.namespace}/${c.pod}`, c.container, c.node || '(unscheduled)', c.mode, flags || 'ok'];
      return view.wide ? [...row.slice(0, 4), c.containerId.replace(/^[a-z]+:\/\//, '').slice(0, 12), c.startedAt, row[4]!] : row;
    });
    const nodeHead = view.wide ? ['NODE', 'PROFILE', 'SHA256', 'RECORDED SHA256', 'PATH', 'WRITTEN'] : ['NODE', 'PROFILE', 'SHA256', 'WRITTEN'];
    const podHead = view.wide ? ['POD', 'CONTAINER', 'NODE', 'MODE', 'CONTAINER ID', 'STARTED', 'STATUS'] : ['POD', 'CONTAINER', 'NODE', 'MODE', 'STATUS'];
    const parts = [`${p.localhostProfile}${p.recorded ? '' : ' (not recorded)'}`, columns(nodes, 2, nodeHead, view.width)];
    parts.push(containers.length ? columns(containers, 2, podHead, view.width) : '  no pod references it');
    return parts.join('\n');
  });
  const unreachable = out.unreachable.map((u) => `! ${u.node}: ${u.reason}`);
  const s = out.summary;
  const total = `${plural(s.profiles, 'profile')} (${s.outOfSync} out of sync), ${plural(s.containers, 'container')}: ${s.stale} stale, ${s.notFiltered} not filtered`;
  return [...blocks, ...unreachable, '', total].join('\n');
}
