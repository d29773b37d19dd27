import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { READINESS_TAINT_KEY } from '@kubectl-seccomp/proto';
import { hasKubectl, kustomize, MANIFESTS, requirePrerequisite, type KubeObject } from './kustomize.js';

interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number; hostPort?: number }[];
  securityContext?: {
    privileged?: boolean;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { add?: string[]; drop?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  command?: string[];
  livenessProbe?: { httpGet?: { port: string | number; path: string } };
  readinessProbe?: { httpGet?: { port: string | number; path: string } };
  args?: string[];
  env?: { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface PodSpec {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  automountServiceAccountToken?: boolean;
  tolerations?: { operator?: string; key?: string }[];
  securityContext?: { seccompProfile?: { type: string; localhostProfile?: string } };
  containers: Container[];
  volumes?: { name: string; hostPath?: { path: string }; emptyDir?: unknown }[];
}

const OVERLAYS = readdirSync(join(MANIFESTS, 'overlays'));
const RENDERINGS = ['base', ...OVERLAYS.map((o) => `overlays/${o}`)];

/** kubernetes-models class for an object, e.g. apps/v1 DaemonSet -> kubernetes-models/apps/v1/DaemonSet. */
async function modelFor(obj: KubeObject): Promise<new (data: unknown) => { validate(): void }> {
  const mod = (await import(`kubernetes-models/${obj.apiVersion}/${obj.kind}`)) as Record<string, new (data: unknown) => { validate(): void }>;
  const model = mod[obj.kind];
  if (!model) throw new Error(`kubernetes-models has no ${obj.apiVersion} ${obj.kind}`);
  return model;
}

function podSpec(objects: KubeObject[], name = 'seccomp-agent'): PodSpec {
  const ds = objects.find((o) => o.kind === 'DaemonSet' && o.metadata.name === name);
  expect(ds, `the DaemonSet ${name}`).to.not.equal(undefined);
  return (ds!.spec as { template: { spec: PodSpec } }).template.spec;
}

describe('deploy: manifests', function () {
  before(function () {
    requirePrerequisite(this, hasKubectl(), 'kubectl (for `kubectl kustomize`) is not installed');
  });

  for (const dir of RENDERINGS) {
    describe(dir, () => {
      let objects: KubeObject[];
      before(() => {
        objects = kustomize(join(MANIFESTS, dir));
      });

      it('validates every object against the Kubernetes OpenAPI schemas', async () => {
        expect(objects.map((o) => o.kind)).to.include.members([
          'Namespace',
          'ServiceAccount',
          'ClusterRole',
          'ClusterRoleBinding',
          'Role',
          'RoleBinding',
          'DaemonSet',
        ]);
        for (const obj of objects) {
          const Model = await modelFor(obj);
          expect(() => new Model(obj).validate(), `${obj.kind} ${obj.metadata.name}`).to.not.throw();
        }
      });

      it('runs the agent unprivileged: no host namespaces, all capabilities dropped but SYSLOG, BPF and PERFMON, no escalation, read-only root', () => {
        const spec = podSpec(objects);
        expect(spec.hostNetwork).to.equal(false);
        expect(spec.hostPID).to.equal(false);
        expect(spec.hostIPC).to.equal(false);
        expect(spec.containers).to.have.length(1);
        const sc = spec.containers[0]!.securityContext!;
        expect(sc.privileged).to.equal(false);
        expect(sc.allowPrivilegeEscalation).to.equal(false);
        expect(sc.readOnlyRootFilesystem).to.equal(true);
        expect(sc.capabilities?.drop).to.deep.equal(['ALL']);
        expect(sc.capabilities?.add).to.deep.equal(['SYSLOG', 'BPF', 'PERFMON']);
        expect(spec.containers[0]!.args).to.include('--audit-relay=/run/kubectl-seccomp/audit.sock');
      });

      it('runs the audit relay with the host network, AUDIT_READ alone, no API token and no port', () => {
        const spec = podSpec(objects, 'seccomp-audit-relay');
        expect(spec.hostNetwork).to.equal(true);
        expect(spec.hostPID).to.equal(false);
        expect(spec.hostIPC).to.equal(false);
        expect(spec.automountServiceAccountToken).to.equal(false);
        expect(spec.containers).to.have.length(1);
        const c = spec.containers[0]!;
        expect(c.ports ?? []).to.deep.equal([]);
        expect(c.command).to.deep.equal(['seccomp-capture', 'audit-relay', '/run/kubectl-seccomp/audit.sock']);
        const sc = c.securityContext!;
        expect(sc.privileged).to.equal(false);
        expect(sc.allowPrivilegeEscalation).to.equal(false);
        expect(sc.readOnlyRootFilesystem).to.equal(true);
        expect(sc.capabilities?.drop).to.deep.equal(['ALL']);
        expect(sc.capabilities?.add).to.deep.equal(['AUDIT_READ']);
        const hostPaths = (spec.volumes ?? []).filter((v) => v.hostPath).map((v) => v.hostPath!.path);
        expect(hostPaths).to.deep.equal(['/run/kubectl-seccomp']);
      });

      it("mounts host paths read-only except the kubelet seccomp dir and the agent's own state dir", () => {
        const spec = podSpec(objects);
        const hostVolumes = new Map((spec.volumes ?? []).filter((v) => v.hostPath).map((v) => [v.name, v.hostPath!.path]));
        const mounts = spec.containers[0]!.volumeMounts ?? [];
        const writable = mounts.filter((m) => hostVolumes.has(m.name) && m.readOnly !== true).map((m) => hostVolumes.get(m.name));
        expect(writable).to.deep.equal(['/var/lib/kubelet/seccomp', '/var/lib/kubectl-seccomp']);
        const state = mounts.find((m) => m.name === 'state');
        expect(spec.containers[0]!.args).to.include(`--state-dir=${state?.mountPath}`);
        expect([...hostVolumes.values()]).to.include.members([
          '/proc',
          '/dev/kmsg',
          '/var/log/journal',
          '/run/log/journal',
          '/var/log/audit',
          '/etc/machine-id',
          '/sys/fs/cgroup',
          '/run/kubectl-seccomp',
        ]);
        expect(mounts.find((m) => m.name === 'kubelet-seccomp')?.mountPath).to.equal('/host/var/lib/kubelet/seccomp');
        // No credentials of the node: /etc/kubernetes holds admin.conf and pki/*.key on control planes.
        expect([...hostVolumes.values()].filter((p) => p === '/etc/kubernetes' || p.startsWith('/etc/kubernetes/'))).to.deep.equal([]);
        expect(spec.containers[0]!.args).to.include('--profile-dir=/host/var/lib/kubelet/seccomp');
        const tmp = spec.volumes?.find((v) => v.name === mounts.find((m) => m.mountPath === '/tmp')?.name);
        expect(tmp?.emptyDir, '/tmp is an emptyDir').to.not.equal(undefined);
      });

      it('runs on every node, probes the health port, and serves gRPC on a named container port only', () => {
        const spec = podSpec(objects);
        expect(spec.tolerations).to.deep.equal([{ operator: 'Exists' }]);
        const c = spec.containers[0]!;
        expect(c.livenessProbe?.httpGet).to.deep.equal({ path: '/healthz', port: 'health' });
        expect(c.readinessProbe?.httpGet).to.deep.equal({ path: '/readyz', port: 'health' });
        expect(c.ports?.find((p) => p.name === 'health')?.containerPort).to.equal(8081);
        const grpc = c.ports?.find((p) => p.name === 'grpc');
        expect(grpc?.containerPort).to.equal(50051);
        expect(c.ports?.every((p) => p.hostPort === undefined)).to.equal(true);
        expect(c.args).to.include.members(['--listen=127.0.0.1:50051', '--host-root=/host', '--health-listen=0.0.0.0:8081']);
        expect(c.env?.find((e) => e.name === 'NODE_NAME')?.valueFrom?.fieldRef?.fieldPath).to.equal('spec.nodeName');
        expect(c.resources?.requests).to.deep.equal({ cpu: '50m', memory: '128Mi' });
        expect(c.resources?.limits).to.deep.equal({ cpu: '1', memory: '256Mi' });
      });

      it('grants the agent read access to pods and to configmaps in its namespace, and get and patch on nodes', () => {
        const rules = (kind: string, name = 'seccomp-agent') => (objects.find((o) => o.kind === kind && o.metadata.name === name)?.rules ?? []) as unknown[];
        expect(rules('ClusterRole')).to.deep.equal([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]);
        expect(rules('Role')).to.deep.equal([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }]);
        expect(rules('ClusterRole', 'seccomp-agent-readiness')).to.deep.equal([{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'patch'] }]);
      });

      it('narrows the node patch with an admission policy: the readiness taint only, own node only, denied otherwise', () => {
        const policy = objects.find((o) => o.kind === 'ValidatingAdmissionPolicy')?.spec as {
          failurePolicy: string;
          matchConditions: { expression: string }[];
          validations: { expression: string; reason: string }[];
        };
        const binding = objects.find((o) => o.kind === 'ValidatingAdmissionPolicyBinding')?.spec;
        expect(binding).to.deep.equal({ policyName: 'seccomp-agent-readiness', validationActions: ['Deny'] });
        expect(policy.failurePolicy).to.equal('Fail');
        expect(policy.matchConditions[0]?.expression).to.contain("endsWith(':seccomp-agent')");
        const all = policy.validations.map((v) => v.expression).join('\n');
        expect(all).to.contain("request.userInfo.extra['authentication.kubernetes.io/node-name'][0] == object.metadata.name");
        expect(all.split(`t.key != '${READINESS_TAINT_KEY}'`)).to.have.length(2);
        expect(policy.validations.every((v) => v.reason === 'Forbidden')).to.equal(true);
      });
    });
  }

  it('base: the agent runs under the runtime default profile; self-profile: under its own Localhost profile', () => {
    expect(podSpec(kustomize(join(MANIFESTS, 'base'))).securityContext?.seccompProfile).to.deep.equal({ type: 'RuntimeDefault' });
    expect(podSpec(kustomize(join(MANIFESTS, 'overlays/self-profile'))).securityContext?.seccompProfile).to.deep.equal({
      type: 'Localhost',
      localhostProfile: 'kubectl-seccomp/seccomp-agent.json',
    });
  });

  it('sets the image in one place: the kustomization, not the DaemonSet', () => {
    const ds = readFileSync(join(MANIFESTS, 'base/daemonset.yaml'), 'utf8');
    expect(ds).to.match(/image: seccomp-agent\n/);
    expect(podSpec(kustomize(join(MANIFESTS, 'base'))).containers[0]!.image).to.equal('ghcr.io/kubectl-seccomp/seccomp-agent:0.1.0');
  });
});
