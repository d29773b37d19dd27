import { expect } from 'chai';
import { UserError } from '../../errors.js';
import { agentDaemonSet, baseManifests, defaultImage, manifestsYaml, renderManifests } from './render.js';

describe('install: rendering the embedded manifests', () => {
  it('keeps the base as it is for the default namespace and image', () => {
    const objects = renderManifests({ namespace: 'kubectl-seccomp' });
    expect(objects).to.deep.equal(baseManifests());
    expect(defaultImage()).to.match(/seccomp-agent:/);
  });

  it('moves every namespaced object, the Namespace itself and the ServiceAccount subjects', () => {
    const objects = renderManifests({ namespace: 'sec' });
    expect(objects.find((o) => o.kind === 'Namespace')?.metadata.name).to.equal('sec');
    const clusterScoped = ['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'];
    for (const o of objects.filter((x) => !clusterScoped.includes(x.kind))) {
      expect(o.metadata.namespace, o.kind).to.equal('sec');
    }
    for (const binding of objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')) {
      const subjects = binding.subjects as { namespace: string }[];
      expect(
        subjects.map((s) => s.namespace),
        binding.metadata.name,
      ).to.deep.equal(['sec']);
    }
    expect(objects.find((o) => o.kind === 'ClusterRole')?.metadata.namespace).to.equal(undefined);
  });

  it('sets the agent image', () => {
    const ds = agentDaemonSet(renderManifests({ namespace: 'x', image: 'example/agent@sha256:abc' }));
    expect(JSON.stringify(ds)).to.contain('"image":"example/agent@sha256:abc"');
  });

  it('refuses a bad namespace or image, naming the flag', () => {
    expect(() => renderManifests({ namespace: 'UPPER' })).to.throw(UserError, '--agent-namespace');
    expect(() => renderManifests({ namespace: 'ok', image: 'has space' })).to.throw(UserError, '--image');
  });

  it('prints one YAML document per object', () => {
    const yaml = manifestsYaml(renderManifests({ namespace: 'kubectl-seccomp' }));
    expect(yaml.split(/^---$/m)).to.have.length(baseManifests().length);
  });
});
