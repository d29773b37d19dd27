import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { NodeInfo } from '@kubectl-seccomp/proto';
import { flatten, parseProfile, serializeProfile, sha256Hex, type SeccompProfile } from '@kubectl-seccomp/profiles';
import { cachedRenderer, localhostProfile, planNode } from './plan.js';

const fixture = async (name: string): Promise<SeccompProfile> => {
  const file = fileURLToPath(new URL(`../../../fixtures/profiles/${name}`, import.meta.url));
  const parsed = parseProfile(await readFile(file), file);
  if (!parsed.ok) throw new Error(`${name} does not parse`);
  return parsed.profile;
};

const node = (over: Partial<NodeInfo> = {}): NodeInfo => ({
  nodeName: 'n1',
  agentVersion: '0.1.0',
  kernelRelease: '6.8.0-45-generic',
  machine: 'x86_64',
  profileDir: '/var/lib/kubelet/seccomp',
  kubeletRootDir: '/var/lib/kubelet',
  containerRuntime: 'containerd',
  containerRuntimeVersion: '1.7.22',
  ociRuntime: 'runc',
  ociRuntimeVersion: '1.1.12',
  filterFlagLogSupported: false,
  architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'],
  ...over,
});

const modes = { audit: false, logDenials: false, prune: false, dryRun: false };

describe('push plan for one node', () => {
  it('sends the bytes of a profile that differs and only a reference for one that is already there', async () => {
    const web = await fixture('good/web.json');
    const worker = await fixture('good/sub/worker.json');
    const workerBytes = serializeProfile(flatten(worker, { arch: 'SCMP_ARCH_X86_64', kernel: '6.8.0-45-generic' }));
    const existing = [{ path: 'p/worker.json', sha256: sha256Hex(workerBytes), size: workerBytes.length, managed: true, error: '', changedUnixMs: 0 }];
    const plan = planNode(
      node({ filterFlagLogSupported: true }),
      existing,
      [
        { source: 'web.json', path: 'p/web.json', profile: web },
        { source: 'worker.json', path: 'p/worker.json', profile: worker },
      ],
      modes,
    );
    expect(plan.request.files.map((f) => f.path)).to.deep.equal(['p/web.json']);
    expect(plan.request.unchanged).to.deep.equal([{ path: 'p/worker.json', sha256: sha256Hex(workerBytes) }]);
    expect(plan.files.map((f) => f.flattened)).to.deep.equal([false, false]);
  });

  it('flattens a Docker-format profile for the node arch and says so', async () => {
    const plan = planNode(
      node({ architectures: ['SCMP_ARCH_AARCH64'], machine: 'aarch64' }),
      [],
      [{ source: 'caps.json', path: 'caps.json', profile: await fixture('docker/caps.json') }],
      modes,
    );
    expect(plan.files[0]!.flattened).to.equal(true);
    const sent = JSON.parse(new TextDecoder().decode(plan.request.files[0]!.content)) as SeccompProfile;
    expect(sent.archMap).to.equal(undefined);
    expect(sent.syscalls?.flatMap((r) => r.names ?? [])).to.not.include('arch_prctl');
  });

  it('warns where --log-denials cannot work, and sends no flags where the OCI runtime refuses them (runc < 1.2)', async () => {
    const web = await fixture('good/web.json');
    const plan = planNode(node(), [], [{ source: 'w', path: 'w.json', profile: web }], { ...modes, logDenials: true });
    expect(plan.warnings.join('\n')).to.contain('runc 1.1.12 takes no seccomp flags');
    const sent = (p: typeof plan) => JSON.parse(new TextDecoder().decode(p.request.files[0]!.content)) as SeccompProfile;
    expect(sent(plan).flags).to.equal(undefined);
    const supported = planNode(node({ filterFlagLogSupported: true, ociRuntimeVersion: '1.2.5' }), [], [{ source: 'w', path: 'w.json', profile: web }], {
      ...modes,
      logDenials: true,
    });
    expect(sent(supported).flags).to.deep.equal(['SECCOMP_FILTER_FLAG_LOG']);
    expect(planNode(node({ filterFlagLogSupported: true }), [], [], { ...modes, logDenials: true }).warnings).to.deep.equal([]);
  });

  it('fails a node whose architecture it cannot tell', async () => {
    const web = await fixture('good/web.json');
    expect(() => planNode(node({ architectures: [], machine: 'pdp11' }), [], [{ source: 'w', path: 'w.json', profile: web }], modes)).to.throw(
      /unknown architecture/,
    );
  });
});

describe('localhostProfile', () => {
  it('is the path relative to <kubelet root-dir>/seccomp, wherever the agent writes', () => {
    expect(localhostProfile(node(), 'kubectl-seccomp/web.json')).to.equal('kubectl-seccomp/web.json');
    expect(localhostProfile(node({ profileDir: '/var/lib/kubelet/seccomp/managed' }), 'web.json')).to.equal('managed/web.json');
    expect(
      localhostProfile(
        node({ kubeletRootDir: '/var/snap/microk8s/common/var/lib/kubelet', profileDir: '/var/snap/microk8s/common/var/lib/kubelet/seccomp' }),
        'a.json',
      ),
    ).to.equal('a.json');
  });

  it('is empty when the agent writes outside the kubelet seccomp dir (pods could not use the file)', () => {
    expect(localhostProfile(node({ profileDir: '/etc/seccomp' }), 'web.json')).to.equal('');
  });
});

describe('rendering for many nodes', () => {
  it('renders a profile once per kind of node, and again for another kernel or arch', async () => {
    const profile = await fixture('docker/caps.json');
    const render = cachedRenderer();
    const a = render(profile, node({ nodeName: 'a' }));
    expect(render(profile, node({ nodeName: 'b' }))).to.equal(a);
    const otherKernel = render(profile, node({ kernelRelease: '4.4.0' }));
    expect(otherKernel).to.not.equal(a);
    const arm = render(profile, node({ machine: 'aarch64', architectures: ['SCMP_ARCH_AARCH64'] }));
    expect(arm.sha256).to.equal(sha256Hex(serializeProfile(flatten(profile, { arch: 'SCMP_ARCH_AARCH64', kernel: '6.8.0-45-generic' }))));
    expect(new TextDecoder().decode(a.bytes)).to.equal(a.text);
  });
});
