import { expect } from 'chai';
import { serverSideApply } from './apply.js';
import type { KubeObject } from './store.js';

const deployment = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    replicas: 2,
    template: {
      spec: {
        securityContext: { runAsUser: 1000 },
        containers: [
          { name: 'web', image: 'busybox' },
          { name: 'side', image: 'busybox' },
        ],
      },
    },
  },
});
const bind = (container?: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    template: {
      spec: container
        ? { containers: [{ name: container, securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } } }] }
        : { securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } } },
    },
  },
});
const unbind = (): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } });
const spec = (o: KubeObject) =>
  o['spec'] as { template: { spec: { securityContext?: unknown; containers: { name: string; image?: string; securityContext?: unknown }[] } } };

describe('test API server: server-side apply', () => {
  it('merges a container by name and keeps the others; applying nothing removes only what the manager set', () => {
    const original = deployment();
    const bound = serverSideApply(original, bind('side'), 'kubectl-seccomp');
    expect(spec(bound).template.spec.containers).to.deep.equal([
      { name: 'web', image: 'busybox' },
      { name: 'side', image: 'busybox', securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } } },
    ]);
    const restored = serverSideApply(bound, unbind(), 'kubectl-seccomp');
    expect(restored['spec']).to.deep.equal(original['spec']);
    expect(restored.metadata['managedFields']).to.deep.equal([]);
  });

  it('keeps a map other fields still live in (the pod securityContext with runAsUser)', () => {
    const bound = serverSideApply(deployment(), bind(), 'kubectl-seccomp');
    expect(spec(bound).template.spec.securityContext).to.deep.equal({ runAsUser: 1000, seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } });
    const moved = serverSideApply(bound, bind('web'), 'kubectl-seccomp');
    expect(spec(moved).template.spec.securityContext, 'the pod-level field is no longer applied').to.deep.equal({ runAsUser: 1000 });
    expect(spec(moved).template.spec.containers[0]!.securityContext).to.deep.equal({ seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } });
  });

  it('leaves fields another apply manager owns', () => {
    const both = serverSideApply(serverSideApply(deployment(), bind('web'), 'other'), bind('web'), 'kubectl-seccomp');
    const after = serverSideApply(both, unbind(), 'kubectl-seccomp');
    expect(spec(after).template.spec.containers[0]!.securityContext).to.deep.equal({ seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } });
  });
});
