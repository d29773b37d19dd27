import type { Violation } from '@kubectl-seccomp/proto';
import { expect } from 'chai';
import { silentLogger } from '../../log.js';
import type { CgroupIdentity } from '../../host/cgroup.js';
import type { ProcessLookup } from '../enrich.js';
import { ViolationPipeline } from '../pipeline.js';
import { FakeSource, kmsgText, take } from '../testing/fakes.js';

const noFilter = { namespaces: [], pods: [], containers: [], syscalls: [], actions: [] };
const ID = 'e'.repeat(64);

/** A lookup that learns pid 500 only when the test says the process events are in (what seccomp-capture's sync does). */
class LateEvents implements ProcessLookup {
  known = new Map<number, CgroupIdentity>();
  private release: (() => void) | undefined;
  settles = 0;

  identify(pid: number): CgroupIdentity | undefined {
    return this.known.get(pid);
  }

  settle(pids: readonly number[]): Promise<void> | undefined {
    if (pids.every((p) => this.known.has(p))) return undefined;
    this.settles++;
    return new Promise((resolve) => (this.release = resolve));
  }

  eventsArrive(): void {
    this.known.set(500, { containerId: ID, podUid: '', runtime: '' });
    this.release?.();
  }
}

describe('ViolationPipeline with a process lookup that catches up (settle)', () => {
  it('waits for the process events before naming a record, and keeps later records behind it', async () => {
    const kmsg = new FakeSource('kmsg');
    const lookup = new LateEvents();
    lookup.known.set(600, { containerId: 'f'.repeat(64), podUid: '', runtime: '' });
    const pipeline = new ViolationPipeline({ nodeName: 'n', hostRoot: '/nonexistent', sources: [kmsg], log: silentLogger, processes: lookup });
    await pipeline.start({ sinceUnixMs: 0 });
    const ac = new AbortController();
    const stream = pipeline.watch({ filter: noFilter, sinceUnixMs: 0, statsIntervalMs: 0, maxQueue: 0 }, ac.signal)[Symbol.asyncIterator]();
    try {
      kmsg.sink!.record({ source: 'kmsg', kind: 'kmsg', text: kmsgText(1, 500), seq: 1, usec: 1 });
      await Promise.resolve();
      // A later batch whose pid is known must not overtake the one that waits.
      kmsg.sink!.record({ source: 'kmsg', kind: 'kmsg', text: kmsgText(2, 600), seq: 2, usec: 2 });
      await new Promise((resolve) => setImmediate(resolve));
      expect(lookup.settles).to.equal(1);
      lookup.eventsArrive();
      const violations: Violation[] = [];
      while (violations.length < 2) {
        const [event] = await take(stream, 1);
        if (event?.kind === 'violation') violations.push(event.violation);
      }
      expect(violations.map((v) => [v.pid, v.containerId])).to.deep.equal([
        [500, ID],
        [600, 'f'.repeat(64)],
      ]);
    } finally {
      ac.abort();
      await pipeline.stop();
    }
  });
});
