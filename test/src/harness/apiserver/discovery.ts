import { RESOURCE_TYPES } from './resources.js';

/** GET /apis: the groups of the served resources. */
export function groupList(): unknown {
  const groups = [...new Set(RESOURCE_TYPES.filter((t) => t.group).map((t) => t.group))];
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map((name) => {
      const gv = { groupVersion: `${name}/v1`, version: 'v1' };
      return { name, versions: [gv], preferredVersion: gv };
    }),
  };
}

/** GET /api/v1 or /apis/GROUP/VERSION: the resources of one group version. */
export function resourceList(segments: string[]): unknown {
  const [group, version] = segments[0] === 'api' ? ['', segments[1]] : [segments[1], segments[2]];
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: RESOURCE_TYPES.filter((t) => t.group === group && t.version === version).map((t) => ({
      name: t.plural,
      singularName: t.kind.toLowerCase(),
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    })),
  };
}
