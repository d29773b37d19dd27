import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { taintRemovalPatch } from '@kubectl-seccomp/agent';
import { READINESS_TAINT_KEY } from '@kubectl-seccomp/proto';
import { admit, type AdmissionPolicySpec, type AdmissionRequest } from '../harness/admission-policy.js';
import { node, type KubeObject } from '../harness/apiserver/index.js';
import { jsonPatch } from '../harness/apiserver/patch.js';
import { MANIFESTS } from './kustomize.js';

/** The policy as manifests/base ships it. */
const policy = parseAllDocuments(readFileSync(join(MANIFESTS, 'base/readiness.yaml'), 'utf8'))
  .map((d) => d.toJSON() as { kind: string; spec: unknown })
  .find((o) => o.kind === 'ValidatingAdmissionPolicy')!.spec as AdmissionPolicySpec;

const AGENT = 'system:serviceaccount:kubectl-seccomp:seccomp-agent';
const NODE_NAME = 'authentication.kubernetes.io/node-name';
const agentOn = (nodeName: string): AdmissionRequest => ({ userInfo: { username: AGENT, extra: { [NODE_NAME]: [nodeName] } } });

const readiness = { key: READINESS_TAINT_KEY, effect: 'NoSchedule' };
const other = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

function tainted(name: string, taints: object[]): KubeObject {
  const n = node(name);
  return { ...n, spec: { taints } };
}

/** What the agent sends: its own JSON patch (agent/src/kube/readiness-taint.ts) applied to the node as read. */
function agentPatched(before: KubeObject): KubeObject {
  const taints = (before['spec'] as { taints?: { key: string }[] }).taints;
  return jsonPatch(before, taintRemovalPatch(taints as never)!);
}

/**
 * manifests/base/readiness.yaml's ValidatingAdmissionPolicy, its CEL run by a CEL evaluator
 * (@marcbachmann/cel-js, not the API server's cel-go: see the harness) against the agent's own patch
 * and the changes it must refuse.
 */
describe('readiness gate: the admission policy lets the agent remove its own node readiness taint, and nothing else', () => {
  const before = tainted('worker-1', [other, readiness]);

  it("allows the agent's patch on its own node, other taints kept", () => {
    const after = agentPatched(before);
    expect((after['spec'] as { taints: unknown[] }).taints).to.deep.equal([other]);
    expect(admit(policy, agentOn('worker-1'), before, after)).to.deep.equal({ verdict: 'allowed' });
  });

  it('allows it when the readiness taint was the only one (an empty list left), or when the list goes away', () => {
    const only = tainted('worker-1', [readiness]);
    expect(admit(policy, agentOn('worker-1'), only, agentPatched(only))).to.deep.equal({ verdict: 'allowed' });
    expect(admit(policy, agentOn('worker-1'), only, { ...only, spec: {} })).to.deep.equal({ verdict: 'allowed' });
  });

  it('denies the same patch on another node, or from a token that names no node', () => {
    expect(admit(policy, agentOn('worker-2'), before, agentPatched(before))).to.deep.equal({
      verdict: 'denied',
      message: 'seccomp-agent may change only the node of its own pod',
    });
    expect(admit(policy, { userInfo: { username: AGENT } }, before, agentPatched(before))).to.include({ verdict: 'denied' });
  });

  it('denies removing another taint, adding one, or putting the readiness taint back', () => {
    const onlyMine = 'seccomp-agent may only remove the readiness taint, no other';
    expect(admit(policy, agentOn('worker-1'), before, tainted('worker-1', []))).to.deep.equal({ verdict: 'denied', message: onlyMine });
    expect(admit(policy, agentOn('worker-1'), before, tainted('worker-1', [other, { key: 'x', effect: 'NoExecute' }]))).to.deep.equal({
      verdict: 'denied',
      message: onlyMine,
    });
    const untainted = tainted('worker-1', [other]);
    expect(admit(policy, agentOn('worker-1'), untainted, before)).to.deep.equal({ verdict: 'denied', message: onlyMine });
  });

  it('denies the removal together with any other change: a label, cordoning, the provider ID', () => {
    const after = agentPatched(before);
    const labelled = { ...after, metadata: { ...after.metadata, labels: { ...after.metadata.labels, role: 'x' } } };
    const cordoned = { ...after, spec: { ...(after['spec'] as object), unschedulable: true } };
    const moved = { ...after, spec: { ...(after['spec'] as object), providerID: 'aws:///i-1' } };
    for (const changed of [labelled, cordoned, moved]) {
      expect(admit(policy, agentOn('worker-1'), before, changed)).to.deep.equal({
        verdict: 'denied',
        message: 'seccomp-agent may change nothing else on a node',
      });
    }
  });

  it('does not apply to anyone else: the kubelet, an admin, another service account', () => {
    for (const username of ['system:node:worker-1', 'kubernetes-admin', 'system:serviceaccount:kube-system:node-controller']) {
      expect(admit(policy, { userInfo: { username } }, before, tainted('worker-1', []))).to.deep.equal({ verdict: 'not-matched' });
    }
  });
});
