import type { Violation } from '@kubectl-seccomp/proto';

/**
 * How much the agent could tell about who made a call: the pod's names, only the container (no API,
 * or a pod it does not know), or nothing (the process exited before its cgroup was read).
 */
export type Attribution = 'pod' | 'container' | 'unnamed';

/** What the table and the reports say when nothing is known; never "(host)": we do not know that. */
export const UNNAMED = 'exited before it could be named';

type Identity = Pick<Violation, 'namespace' | 'pod' | 'containerId' | 'podUid'>;

export function attributionOf(v: Identity): Attribution {
  if (v.pod !== '') return 'pod';
  return v.containerId !== '' || v.podUid !== '' ? 'container' : 'unnamed';
}

/** The first 12 hex digits, as docker, crictl and kubectl show container ids. */
export function shortId(id: string): string {
  return id.slice(0, 12);
}

/** "shop/cart-1", "container 0123456789ab pod 6f1c2d3e" (short ids: -o json has them whole), or UNNAMED. */
export function workloadLabel(v: Identity): string {
  switch (attributionOf(v)) {
    case 'pod':
      return `${v.namespace || '?'}/${v.pod}`;
    case 'container':
      return [v.containerId && `container ${shortId(v.containerId)}`, v.podUid && `pod ${v.podUid.slice(0, 8)}`].filter(Boolean).join(' ');
    case 'unnamed':
      return UNNAMED;
  }
}
