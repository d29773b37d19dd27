import { expect } from 'chai';
import type { KubernetesObject, V1PodTemplateSpec } from '@kubernetes/client-node';
import { bindContainersConfig, ownedConfig, parseWorkloadRef, putBackProfiles, unbindConfig } from './workload.js';

const ref = parseWorkloadRef('deploy/web');
const profile = (localhostProfile: string) => ({ seccompProfile: { type: 'Localhost', localhostProfile } });

/** A Deployment as the API server returns it, with what each manager owns (FieldsV1, as it writes them). */
function deployment(managedFields: object[], template: V1PodTemplateSpec): KubernetesObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', managedFields },
    spec: { replicas: 2, template },
  } as KubernetesObject;
}
const userFields = {
  manager: 'kubectl',
  operation: 'Apply',
  fieldsV1: {
    'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:name': {}, 'f:image': {} } } } } },
  },
};

describe('record: restoring exactly what kubectl-seccomp had', () => {
  it('nothing of ours before: the restoring apply is empty, so the server removes every field record set', () => {
    const original = deployment([userFields], { spec: { containers: [{ name: 'app', image: 'busybox' }] } });
    expect(ownedConfig(ref, original, 'kubectl-seccomp')).to.deep.equal(unbindConfig(ref, 'shop'));
  });

  it("an earlier bind of ours: exactly its fields and values, none of another manager's", () => {
    const ours = {
      manager: 'kubectl-seccomp',
      operation: 'Apply',
      fieldsV1: {
        'f:spec': {
          'f:template': {
            'f:spec': {
              'f:containers': {
                'k:{"name":"app"}': { '.': {}, 'f:name': {}, 'f:securityContext': { 'f:seccompProfile': { 'f:type': {}, 'f:localhostProfile': {} } } },
              },
            },
          },
        },
      },
    };
    const original = deployment([userFields, ours], {
      spec: {
        containers: [
          { name: 'app', image: 'busybox', securityContext: { ...profile('kubectl-seccomp/web.json'), privileged: false } },
          { name: 'side', image: 'x' },
        ],
      },
    });
    expect(ownedConfig(ref, original, 'kubectl-seccomp')).to.deep.equal({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { template: { spec: { containers: [{ name: 'app', securityContext: profile('kubectl-seccomp/web.json') }] } } },
    });
  });

  it('the trial binds every container, init containers in their own list', () => {
    const template: V1PodTemplateSpec = { spec: { initContainers: [{ name: 'init' }], containers: [{ name: 'app' }, { name: 'side' }] } };
    const paths = new Map([
      ['app', 'p/a.json'],
      ['init', 'p/i.json'],
    ]);
    expect(bindContainersConfig(ref, 'shop', paths, template)).to.deep.equal({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        template: {
          spec: {
            initContainers: [{ name: 'init', securityContext: profile('p/i.json') }],
            containers: [{ name: 'app', securityContext: profile('p/a.json') }],
          },
        },
      },
    });
  });

  it("puts back another manager's profiles the restoring apply removed, each container found by name; nothing when all is back", () => {
    const original = deployment([], {
      spec: {
        securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          { name: 'app', securityContext: { seccompProfile: { type: 'Unconfined' }, privileged: false } },
          { name: 'side' },
          { name: 'db', securityContext: profile('x.json') },
        ],
      },
    });
    const restored = deployment([], { spec: { containers: [{ name: 'side' }, { name: 'db' }, { name: 'app', securityContext: { privileged: false } }] } });
    expect(putBackProfiles(ref, original, restored)).to.deep.equal([
      { op: 'add', path: '/spec/template/spec/securityContext', value: { seccompProfile: { type: 'RuntimeDefault' } } },
      { op: 'test', path: '/spec/template/spec/containers/1/name', value: 'db' },
      { op: 'add', path: '/spec/template/spec/containers/1/securityContext', value: profile('x.json') },
      { op: 'test', path: '/spec/template/spec/containers/2/name', value: 'app' },
      { op: 'add', path: '/spec/template/spec/containers/2/securityContext/seccompProfile', value: { type: 'Unconfined' } },
    ]);
    expect(putBackProfiles(ref, original, original)).to.deep.equal([]);
  });
});

describe('workload names', () => {
  it('bind refuses a pod and a Job, saying why and what to do instead; record takes both, as they run', () => {
    expect(() => parseWorkloadRef('job/migrate')).to.throw(/job\/migrate: a Job's pod template cannot change once the Job exists .*cronjob\/NAME/);
    expect(() => parseWorkloadRef('pod/web-1')).to.throw(/pod\/web-1: a pod's seccompProfile cannot change/);
    expect(parseWorkloadRef('job/migrate', { fixed: true })).to.deep.include({ kind: 'Job', name: 'migrate', fixed: true });
    expect(parseWorkloadRef('pod/web-1', { fixed: true })).to.deep.include({ kind: 'Pod', fixed: true });
    expect(parseWorkloadRef('cronjob/nightly'))
      .to.deep.include({ kind: 'CronJob', template: ['spec', 'jobTemplate', 'spec', 'template'] })
      .and.not.have.property('fixed');
  });
});
