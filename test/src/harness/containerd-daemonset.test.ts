import { expect } from 'chai';
import { containerFromDaemonSet, type DaemonSetSubset, type NodeLayout } from './containerd-daemonset.js';

const layout: NodeLayout = {
  nodeName: 'node-1',
  kubeletRoot: '/k',
  hostPath: (path, type) => `/h${path}#${type}`,
  emptyDir: (name, medium) => `/e/${name}#${medium ?? ''}`,
};

const ds = (over: Partial<DaemonSetSubset['spec']['template']['spec']> = {}): DaemonSetSubset => ({
  metadata: { name: 'agent', namespace: 'ns' },
  spec: {
    template: {
      spec: {
        securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'p/agent.json' } },
        containers: [
          {
            name: 'a',
            image: 'img:1',
            args: ['--node-name=$(NODE_NAME)', '--ns=$(POD_NAMESPACE)', '--keep=$(UNSET)'],
            env: [
              { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
              { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              { name: 'PLAIN', value: 'v' },
            ],
            securityContext: { runAsUser: 0, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'], add: ['SYSLOG'] } },
            volumeMounts: [
              { name: 'proc', mountPath: '/host/proc', readOnly: true },
              { name: 'tmp', mountPath: '/tmp' },
            ],
          },
        ],
        volumes: [
          { name: 'proc', hostPath: { path: '/proc', type: 'Directory' } },
          { name: 'tmp', emptyDir: { medium: 'Memory' } },
        ],
        ...over,
      },
    },
  },
});

describe('containerd harness: a DaemonSet container as the kubelet creates it', () => {
  it('expands $(VAR) in args from the env, with the downward API resolved; unknown ones stay', () => {
    const c = containerFromDaemonSet(ds(), 'a', layout);
    expect(c.args).to.deep.equal(['--node-name=node-1', '--ns=ns', '--keep=$(UNSET)']);
    expect(c.env).to.deep.equal({ NODE_NAME: 'node-1', POD_NAMESPACE: 'ns', PLAIN: 'v' });
  });

  it('maps the securityContext to CRI terms and mounts every volume where the node has it', () => {
    const c = containerFromDaemonSet(ds(), 'a', layout);
    expect(c.securityContext).to.deep.equal({
      privileged: false,
      readonly_rootfs: true,
      no_new_privs: true,
      capabilities: { add_capabilities: ['SYSLOG'], drop_capabilities: ['ALL'] },
      run_as_user: { value: 0 },
    });
    expect(c.mounts).to.deep.equal([
      { containerPath: '/host/proc', hostPath: '/h/proc#Directory', readonly: true },
      { containerPath: '/tmp', hostPath: '/e/tmp#Memory', readonly: false },
    ]);
  });

  it("resolves a Localhost profile in the kubelet's <root-dir>/seccomp; the container's own profile wins over the pod's", () => {
    expect(containerFromDaemonSet(ds(), 'a', layout).seccomp).to.deep.equal({ type: 'Localhost', localhostRef: '/k/seccomp/p/agent.json' });
    const own = ds();
    own.spec.template.spec.containers[0]!.securityContext!.seccompProfile = { type: 'RuntimeDefault' };
    expect(containerFromDaemonSet(own, 'a', layout).seccomp).to.deep.equal({ type: 'RuntimeDefault' });
  });

  it('refuses what it cannot translate instead of dropping it', () => {
    expect(() => containerFromDaemonSet(ds({ volumes: [] }), 'a', layout)).to.throw(/volumeMount proc has no volume/);
    const bad = ds();
    bad.spec.template.spec.containers[0]!.env!.push({ name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });
    expect(() => containerFromDaemonSet(bad, 'a', layout)).to.throw(/status.podIP not resolved/);
  });
});
