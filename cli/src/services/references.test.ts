import { expect } from 'chai';
import type { V1Pod } from '@kubernetes/client-node';
import { profileReferences } from './references.js';

const pod = (name: string, spec: V1Pod['spec'], phase = 'Running'): V1Pod => ({ metadata: { name, namespace: 'shop' }, spec, status: { phase } });
const localhost = (p: string) => ({ seccompProfile: { type: 'Localhost', localhostProfile: p } });

describe('profileReferences', () => {
  it("takes a container's own profile over the pod's, for init, app and ephemeral containers", () => {
    const refs = profileReferences([
      pod('web', {
        nodeName: 'node-a',
        securityContext: localhost('kubectl-seccomp/web.json'),
        initContainers: [{ name: 'init' }],
        containers: [{ name: 'app' }, { name: 'side', securityContext: localhost('kubectl-seccomp/side.json') }],
        ephemeralContainers: [{ name: 'debug', securityContext: { seccompProfile: { type: 'Unconfined' } } }],
      }),
    ]);
    expect(refs.map((r) => [r.container, r.node, r.localhostProfile])).to.deep.equal([
      ['init', 'node-a', 'kubectl-seccomp/web.json'],
      ['app', 'node-a', 'kubectl-seccomp/web.json'],
      ['side', 'node-a', 'kubectl-seccomp/side.json'],
    ]);
  });

  it('skips finished pods and containers without a Localhost profile; an unscheduled pod has no node', () => {
    const refs = profileReferences([
      pod('done', { containers: [{ name: 'c', securityContext: localhost('a.json') }] }, 'Succeeded'),
      pod('rd', { containers: [{ name: 'c', securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }] }),
      pod('pending', { containers: [{ name: 'c', securityContext: localhost('a.json') }] }, 'Pending'),
    ]);
    expect(refs).to.deep.equal([{ namespace: 'shop', pod: 'pending', container: 'c', node: '', localhostProfile: 'a.json' }]);
  });
});
