import { expect } from 'chai';
import { Enricher } from './enrich.js';
import { parseRaw } from './parse/index.js';
import { nullPodResolver } from './pod-resolver.js';
import type { SeccompRecord } from './record.js';
import { SigsysDeaths, sigsysDeathsOf } from './sigsys-deaths.js';

const ID_A = 'a'.repeat(64);
const ID_B = 'b'.repeat(64);
const UID = '8d6e4f1c-2b3a-4c5d-9e8f-7a6b5c4d3e2f';
/** audit(1795369472.866:...) */
const RECORD_MS = 1795369472866;

function record(code: string): SeccompRecord {
  const text = `audit: type=1326 audit(1795369472.866:9): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=4321 comm="chmod" exe="/bin/busybox" sig=31 arch=c000003e syscall=90 compat=0 ip=0x47b567 code=${code}`;
  const o = parseRaw({ source: 'kmsg', kind: 'kmsg', text, seq: 1, usec: 1 });
  if (o.kind !== 'record') throw new Error('fixture is not a record');
  return o.record;
}

describe('SIGSYS deaths from pod statuses', () => {
  it('reads exit code 159 from current and last state, with the container id without its runtime prefix', () => {
    expect(
      sigsysDeathsOf(UID, [
        { containerID: `containerd://${ID_A}`, exitCode: 159, finishedAt: '2026-11-21T10:24:32Z' },
        { containerID: `containerd://${ID_B}`, exitCode: 1, finishedAt: '2026-11-21T10:24:32Z' },
        undefined,
      ]),
    ).to.deep.equal([{ containerId: ID_A, podUid: UID, finishedAtMs: Date.parse('2026-11-21T10:24:32Z') }]);
  });

  it('names a record by the one container that died at its time, and nothing when two did', () => {
    const deaths = new SigsysDeaths();
    deaths.add({ containerId: ID_A, podUid: UID, finishedAtMs: 1795369472000 });
    expect(deaths.match(RECORD_MS)).to.deep.equal({ containerId: ID_A, podUid: UID, runtime: '' });
    expect(deaths.match(RECORD_MS - 60_000)).to.equal(undefined);
    deaths.add({ containerId: ID_B, podUid: UID, finishedAtMs: 1795369473000 });
    expect(deaths.match(RECORD_MS)).to.equal(undefined);
  });

  it('holds an unnamed KILL record until the pod status reports the death, then names it', async () => {
    const deaths = new SigsysDeaths();
    const enricher = new Enricher({ nodeName: 'n', processes: { identify: () => undefined }, pods: nullPodResolver, deaths, deathWaitMs: 10_000 });
    const kill = record('0x80000000');
    let settled = false;
    const waiting = enricher.settle([kill])!.then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).to.equal(false);
    deaths.add({ containerId: ID_A, podUid: UID, finishedAtMs: 1795369473000 });
    await waiting;
    expect(enricher.enrich(kill)).to.deep.include({ containerId: ID_A, podUid: UID, action: 'SCMP_ACT_KILL_PROCESS' });
  });

  it('does not hold a KILL record of a process known to have run on the host', () => {
    const enricher = new Enricher({
      nodeName: 'n',
      processes: { identify: () => undefined, isHostProcess: () => true },
      pods: nullPodResolver,
      deaths: new SigsysDeaths(),
    });
    expect(enricher.settle([record('0x80000000')])).to.equal(undefined);
  });

  it('never holds nor names a record that is not a KILL', () => {
    const deaths = new SigsysDeaths();
    deaths.add({ containerId: ID_A, podUid: UID, finishedAtMs: 1795369473000 });
    const enricher = new Enricher({ nodeName: 'n', processes: { identify: () => undefined }, pods: nullPodResolver, deaths });
    const log = record('0x7ffc0000');
    expect(enricher.settle([log])).to.equal(undefined);
    expect(enricher.enrich(log).containerId).to.equal('');
  });
});
