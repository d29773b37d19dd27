import type { Violation } from '@kubectl-seccomp/proto';
import { attributionOf, type Attribution } from '../watch/attribution.js';

/** What one container (or, without names, one container id or the unnamed processes) was seen doing. */
export interface ContainerObservation {
  namespace: string;
  pod: string;
  container: string;
  containerId: string;
  attribution: Attribution;
  /** Syscall names seen (any action). */
  syscalls: Set<string>;
  /** SCMP_ARCH_* names the calls were made with. */
  arches: Set<string>;
  /** "ARCH#NR" of calls the agent could not name: they cannot be put in a profile. */
  unnamed: Set<string>;
}

/**
 * Every syscall seen per container for the whole session (never evicted, unlike the table rows, and
 * not reset by clearing the view): bounded by the number of syscalls times containers.
 */
export class ObservedSyscalls {
  private readonly byContainer = new Map<string, ContainerObservation>();

  add(v: Violation): void {
    const attribution = attributionOf(v);
    const key = attribution === 'pod' ? [v.namespace, v.pod, v.container].join('\u0000') : `\u0001${v.containerId}`;
    let o = this.byContainer.get(key);
    if (!o) {
      const names = attribution === 'pod' ? { namespace: v.namespace, pod: v.pod, container: v.container } : { namespace: '', pod: '', container: '' };
      o = { ...names, containerId: v.containerId, attribution, syscalls: new Set(), arches: new Set(), unnamed: new Set() };
      this.byContainer.set(key, o);
    }
    if (v.arch !== '') o.arches.add(v.arch);
    if (v.syscall !== '') o.syscalls.add(v.syscall);
    else o.unnamed.add(`${v.arch || `audit-arch 0x${v.auditArch.toString(16)}`}#${v.syscallNr}`);
  }

  containers(): ContainerObservation[] {
    return [...this.byContainer.values()];
  }

  /** All containers as one observation (for a single merged suggestion). */
  merged(): ContainerObservation {
    const all: ContainerObservation = {
      namespace: '',
      pod: '',
      container: '',
      containerId: '',
      attribution: 'pod',
      syscalls: new Set(),
      arches: new Set(),
      unnamed: new Set(),
    };
    for (const o of this.byContainer.values()) {
      for (const s of o.syscalls) all.syscalls.add(s);
      for (const a of o.arches) all.arches.add(a);
      for (const u of o.unnamed) all.unnamed.add(u);
    }
    return all;
  }

  get size(): number {
    return this.byContainer.size;
  }
}
