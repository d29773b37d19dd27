import { expect } from 'chai';
import type { KubernetesObject, V1Pod } from '@kubernetes/client-node';
import { makeViolation } from '../../testing/fake-agent.js';
import { countEvents, mergeByContainer, RecordTally } from './merge.js';
import { NewCalls, type Ownership } from './new-calls.js';
import { workloadPods } from './owners.js';
import { workloadRollout } from './rollout.js';

const owned = (kind: string, name: string, uid: string, owner?: string): KubernetesObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, uid, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'X', name: 'x', uid: owner }] } : {}) },
});
const pod = (name: string, owner: string, localhostProfile?: string): V1Pod => ({
  ...owned('Pod', name, `uid-${name}`, owner),
  spec: {
    containers: [{ name: 'app', ...(localhostProfile ? { securityContext: { seccompProfile: { type: 'Localhost', localhostProfile } } } : {}) }],
  },
});

describe("record: the workload's pods by owner references", () => {
  const deploy = owned('Deployment', 'web', 'd1');
  const replicaSets = [
    owned('ReplicaSet', 'web-new', 'rs-new', 'd1'),
    owned('ReplicaSet', 'web-old', 'rs-old', 'd1'),
    owned('ReplicaSet', 'api-1', 'rs-api', 'd2'),
  ];

  it('Deployment -> ReplicaSets -> Pods, not the pods of another Deployment nor bare pods', () => {
    const pods = [pod('web-new-a', 'rs-new'), pod('web-old-b', 'rs-old'), pod('api-1-c', 'rs-api'), pod('web-bare', 'nobody')];
    expect(workloadPods(deploy, replicaSets, pods)).to.deep.equal(['web-new-a', 'web-old-b']);
  });

  it('with the trial profile: only the pods that run under it (not the replicas the rollout replaces)', () => {
    const pods = [pod('web-new-a', 'rs-new', 'kubectl-seccomp/record-shop-web.json'), pod('web-old-b', 'rs-old')];
    expect(workloadPods(deploy, replicaSets, pods, 'kubectl-seccomp/record-shop-web.json')).to.deep.equal(['web-new-a']);
  });

  it('a StatefulSet owns its pods directly; a pod is itself', () => {
    const sts = owned('StatefulSet', 'db', 's1');
    expect(workloadPods(sts, [], [pod('db-0', 's1'), pod('db-x', 'rs-new')])).to.deep.equal(['db-0']);
    const p = pod('solo', '');
    expect(workloadPods(p, [], [p, pod('other', '')])).to.deep.equal(['solo']);
  });
});

describe('record: merging per container across replicas', () => {
  const tally = new RecordTally();
  tally.add(makeViolation({ pod: 'web-a', container: 'app', syscall: 'mkdir' }));
  tally.add(makeViolation({ pod: 'web-a', container: 'app', syscall: 'mkdir' }));
  tally.add(makeViolation({ pod: 'web-b', container: 'app', syscall: 'chmod' }));
  tally.add(makeViolation({ pod: 'web-b', container: 'side', syscall: 'sync' }));
  tally.add(makeViolation({ pod: 'web-b', container: 'app', syscall: '', syscallNr: 999 }));
  tally.add(makeViolation({ pod: 'cart-1', container: 'app', syscall: 'ptrace' }));
  tally.add(makeViolation({ namespace: '', pod: '', container: '', containerId: '', podUid: '', syscall: 'kexec_load' }));
  const ours = new Set(['web-a', 'web-b']);

  it("one observation per container name of the template: the union of the workload's replicas, no other pod's calls", () => {
    const merged = mergeByContainer(['app', 'side', 'idle'], tally, ours);
    expect(merged.map((m) => [m.container, [...m.observation.syscalls].sort(), m.pods])).to.deep.equal([
      ['app', ['chmod', 'mkdir'], ['web-a', 'web-b']],
      ['side', ['sync'], ['web-b']],
      ['idle', [], []],
    ]);
    expect([...merged[0]!.observation.unnamed]).to.deep.equal(['SCMP_ARCH_X86_64#999']);
  });

  it('counts events attributed to the workload, to other pods, and with no pod known', () => {
    expect(countEvents(tally, ours)).to.deep.equal({ attributed: 5, otherPods: 1 });
    expect(tally.unnamedEvents).to.equal(1);
    expect(tally.pods().sort()).to.deep.equal(['cart-1', 'web-a', 'web-b']);
  });
});

describe('record: rollout status', () => {
  const deployment = (generation: number, status: object | undefined): KubernetesObject =>
    ({ kind: 'Deployment', metadata: { generation }, spec: { replicas: 2 }, ...(status ? { status } : {}) }) as KubernetesObject;

  it('a Deployment is rolled out once the controller saw the new template and only updated replicas are left, all available', () => {
    expect(workloadRollout(deployment(2, undefined)).complete).to.equal(false);
    expect(workloadRollout(deployment(2, { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 })).complete).to.equal(false);
    expect(workloadRollout(deployment(2, { observedGeneration: 2, replicas: 3, updatedReplicas: 2, availableReplicas: 2 })).complete).to.equal(false);
    expect(workloadRollout(deployment(2, { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 })).observed).to.equal(false);
    expect(workloadRollout(deployment(2, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 1 }))).to.deep.equal({
      complete: false,
      observed: true,
      desired: 2,
      updated: 2,
      ready: 1,
    });
    expect(workloadRollout(deployment(2, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 })).complete).to.equal(true);
  });

  it('Jobs, CronJobs and pods do not roll', () => {
    expect(workloadRollout({ kind: 'CronJob', metadata: { generation: 3 } }).complete).to.equal(true);
  });
});

describe('record: --until-idle waits on new calls of the workload only', () => {
  /** The API server's answer, given when the test says so. */
  class SlowOwnership implements Ownership {
    readonly ours = new Set<string>();
    readonly #known = new Set<string>();
    readonly #waiting: (() => void)[] = [];
    async lookedUp(pod: string): Promise<void> {
      if (!this.#known.has(pod)) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    answer(ours: string[], others: string[]): void {
      for (const p of [...ours, ...others]) this.#known.add(p);
      for (const p of ours) this.ours.add(p);
      for (const resolve of this.#waiting.splice(0)) resolve();
    }
  }

  it("a new call in another pod's same-named container leaves the clock alone; one in the workload's pod, once the API server says so, moves it", async () => {
    const ownership = new SlowOwnership();
    const calls = new NewCalls(['app'], ownership, 0);
    const theirs = calls.add(makeViolation({ pod: 'cart-1', container: 'app', syscall: 'ptrace' }));
    const ours = calls.add(makeViolation({ pod: 'web-a', container: 'app', syscall: 'mkdir' }));
    expect(calls.lastNewAt, 'nothing counts before the pods are looked up').to.equal(0);
    ownership.answer(['web-a'], ['cart-1']);
    await Promise.all([theirs, ours]);
    const moved = calls.lastNewAt;
    expect(moved).to.be.greaterThan(0);
    calls.restart(0);
    await calls.add(makeViolation({ pod: 'cart-1', container: 'app', syscall: 'kexec_load' }));
    await calls.add(makeViolation({ pod: 'web-a', container: 'app', syscall: 'mkdir' }));
    await calls.add(makeViolation({ pod: 'web-a', container: 'side', syscall: 'sync' }));
    await calls.add(makeViolation({ pod: '', container: 'app', syscall: 'chmod' }));
    expect(calls.lastNewAt, "another pod's new call, a call seen before, a container not in the template, no pod").to.equal(0);
    await calls.add(makeViolation({ pod: 'web-a', container: 'app', syscall: 'chmod' }));
    expect(calls.lastNewAt).to.be.greaterThan(0);
  });
});
