import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hostPathOf, inRoot } from './fs.js';
import { defaultProfileDir } from '../checks/read-facts.js';
import { rootMissing, skipUnless } from '../violations/testing/sources.js';
import { findKubeletProcess, readKubelet } from './kubelet.js';
import { listProcesses } from './proc.js';
import { readProfileDir } from './profile-dir.js';
import { isWithin, resolveInRoot } from './resolve.js';

/** Writes a file under the temp host root, creating its parents. */
async function put(root: string, rel: string, content: string | Buffer): Promise<void> {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await writeFile(path.join(root, rel), content);
}

async function putProcess(root: string, pid: number, argv: string[], comm: string, uid = 0, cgroup = '0::/system.slice/unit.service\n'): Promise<void> {
  await put(root, `proc/${pid}/cmdline`, Buffer.from(argv.map((a) => `${a}\0`).join('')));
  await put(root, `proc/${pid}/comm`, `${comm}\n`);
  await put(root, `proc/${pid}/cgroup`, cgroup);
  const ids = `${uid}\t${uid}\t${uid}\t${uid}`;
  await put(root, `proc/${pid}/status`, `Name:\t${comm}\nPid:\t${pid}\nPPid:\t1\nUid:\t${ids}\nSeccomp:\t0\nSeccomp_filters:\t0\n`);
}

describe('host root readers', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'seccomp-host-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('maps host paths into the host root and back', () => {
    expect(inRoot('/host', '/var/lib/kubelet')).to.equal('/host/var/lib/kubelet');
    expect(inRoot('/host', '../../etc')).to.equal('/host/etc');
    expect(hostPathOf('/host', '/host/var/lib/kubelet/seccomp')).to.equal('/var/lib/kubelet/seccomp');
    expect(hostPathOf('/host', '/profiles')).to.equal(undefined);
    expect(hostPathOf('/', '/var/lib/kubelet')).to.equal('/var/lib/kubelet');
  });

  it('resolves absolute symlinks inside the host root, as the host sees them', async () => {
    await mkdir(path.join(root, 'data/kubelet/seccomp'), { recursive: true });
    await mkdir(path.join(root, 'var/lib'), { recursive: true });
    await symlink('/data/kubelet', path.join(root, 'var/lib/kubelet'));
    expect(await resolveInRoot(root, '/var/lib/kubelet/seccomp')).to.equal('/data/kubelet/seccomp');
    expect(await resolveInRoot(root, '/var/lib/kubelet/seccomp/missing/x')).to.equal('/data/kubelet/seccomp/missing/x');
    expect(isWithin('/data/kubelet', '/data/kubelet/seccomp')).to.equal(true);
    expect(isWithin('/data/kubelet', '/data/other')).to.equal(false);
  });

  it('stops on symlink loops instead of hanging', async () => {
    await mkdir(path.join(root, 'a'), { recursive: true });
    await symlink('/a/loop', path.join(root, 'a/loop'));
    expect(await resolveInRoot(root, '/a/loop/x')).to.be.a('string');
  });

  it('sees that a profile dir symlink with an absolute target leaves the host root', async () => {
    await mkdir(path.join(root, 'real/seccomp'), { recursive: true });
    await mkdir(path.join(root, 'var/lib/kubelet'), { recursive: true });
    // On the host this points at /real/seccomp; from the agent it would be the agent's own /real/seccomp.
    await symlink('/real/seccomp', path.join(root, 'var/lib/kubelet/seccomp'));
    const facts = await readProfileDir(root, path.join(root, 'var/lib/kubelet/seccomp'));
    expect(facts.isSymlink).to.equal(true);
    expect(facts.resolvedHostPath).to.equal('/real/seccomp');
    expect(facts.agentRealHostPath).to.not.equal('/real/seccomp');
  });

  it('lists *.json profiles recursively and names the ones that do not parse', async () => {
    const dir = path.join(root, 'var/lib/kubelet/seccomp');
    await put(root, 'var/lib/kubelet/seccomp/a.json', '{"defaultAction":"SCMP_ACT_ALLOW"}');
    await put(root, 'var/lib/kubelet/seccomp/team/b.json', '{"defaultAction":"SCMP_ACT_NOPE"}');
    await put(root, 'var/lib/kubelet/seccomp/readme.txt', 'not a profile');
    const facts = await readProfileDir(root, dir);
    expect(facts.exists && facts.isDirectory && facts.writable).to.equal(true);
    expect(facts.files.map((f) => f.path)).to.deep.equal(['a.json', 'team/b.json']);
    expect(facts.files[0]?.error).to.equal('');
    expect(facts.files[1]?.error).to.match(/defaultAction/);
  });

  it('does not take the index of the store for a profile, and never blocks on a FIFO', async () => {
    const dir = path.join(root, 'var/lib/kubelet/seccomp');
    await put(root, 'var/lib/kubelet/seccomp/kubectl-seccomp/a.json', '{"defaultAction":"SCMP_ACT_ALLOW"}');
    await put(root, 'var/lib/kubelet/seccomp/.kubectl-seccomp/index.json', '{"version":1,"files":{}}');
    execFileSync('mkfifo', [path.join(dir, 'pipe.json')]);
    const facts = await readProfileDir(root, dir);
    expect(facts.files).to.deep.equal([{ path: 'kubectl-seccomp/a.json', error: '' }]);
  });

  it('reads a k3s kubelet from --kubelet-arg and config.yaml', async () => {
    await putProcess(root, 42, ['/usr/local/bin/k3s', 'server', '--kubelet-arg', 'root-dir=/data/kubelet'], 'k3s-server');
    await put(root, 'etc/rancher/k3s/config.yaml', 'kubelet-arg:\n  - seccomp-default=true\n');
    const kubelet = await readKubelet(root, await listProcesses(root));
    expect(kubelet?.kind).to.equal('k3s');
    expect(kubelet?.flags).to.include({ 'seccomp-default': 'true', 'root-dir': '/data/kubelet' });
  });

  it('reads a microk8s kubelite kubelet from its args file', async () => {
    await putProcess(root, 7, ['/snap/microk8s/6750/kubelite', '--kubelet-args-file=/var/snap/microk8s/6750/args/kubelet'], 'kubelite');
    await put(root, 'var/snap/microk8s/6750/args/kubelet', '--root-dir=${SNAP_COMMON}/var/lib/kubelet\n');
    const kubelet = await readKubelet(root, await listProcesses(root));
    expect(kubelet?.kind).to.equal('kubelite');
    expect(kubelet?.flags['root-dir']).to.equal('/var/snap/microk8s/common/var/lib/kubelet');
  });

  it('applies --config-dir drop-ins after --config and reports a bad config file', async () => {
    await putProcess(root, 9, ['/usr/bin/kubelet', '--config', '/etc/kubelet.yaml', '--config-dir=/etc/kubelet.conf.d'], 'kubelet');
    await put(root, 'etc/kubelet.yaml', 'kind: KubeletConfiguration\nseccompDefault: false\n');
    await put(root, 'etc/kubelet.conf.d/20-seccomp.conf', 'seccompDefault: true\n');
    await put(root, 'etc/kubelet.conf.d/10-broken.conf', 'seccompDefault: "yes"\n');
    const kubelet = await readKubelet(root, await listProcesses(root));
    expect(kubelet?.configs.map((c) => [c.path, c.seccompDefault, c.error !== ''])).to.deep.equal([
      ['/etc/kubelet.yaml', false, false],
      ['/etc/kubelet.conf.d/10-broken.conf', undefined, true],
      ['/etc/kubelet.conf.d/20-seccomp.conf', true, false],
    ]);
  });

  it('takes no kubelet that a non-root user or a container runs', async () => {
    const pod =
      '0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0f1e2d3c_4b5a_6978_8a9b_0c1d2e3f4a5b.slice/cri-containerd-' +
      'a'.repeat(64) +
      '.scope\n';
    await putProcess(root, 3, ['kubelet', '--root-dir=/var/lib/kubelet/seccomp/hijack'], 'kubelet', 65534);
    await putProcess(root, 4, ['/usr/bin/kubelet', '--root-dir=/var/lib/kubelet/seccomp/hijack'], 'kubelet', 0, pod);
    await putProcess(root, 900, ['/usr/bin/kubelet', '--root-dir=/data/kubelet'], 'kubelet');
    const procs = await listProcesses(root);
    expect(findKubeletProcess(procs).ignored).to.deep.equal([
      { pid: 3, reason: 'owned by uid 65534, not root' },
      { pid: 4, reason: 'runs in a container' },
    ]);
    expect((await readKubelet(root, procs))?.pid).to.equal(900);
    expect(await defaultProfileDir(root)).to.equal(path.join(root, 'data/kubelet/seccomp'));
  });

  it('picks no kubelet among look-alikes nothing tells apart, and prefers the one in the kubelet unit', async () => {
    await putProcess(root, 3, ['/usr/bin/kubelet', '--root-dir=/var/lib/kubelet/seccomp/hijack'], 'kubelet');
    await putProcess(root, 900, ['/usr/bin/kubelet', '--root-dir=/data/kubelet'], 'kubelet');
    expect(findKubeletProcess(await listProcesses(root))).to.deep.include({ found: undefined, ambiguous: [3, 900] });
    expect(await defaultProfileDir(root)).to.equal(path.join(root, 'var/lib/kubelet/seccomp'));
    await put(root, 'proc/900/cgroup', '0::/system.slice/kubelet.service\n');
    expect((await readKubelet(root, await listProcesses(root)))?.pid).to.equal(900);
  });

  it('ignores a real process named kubelet that nobody runs on this machine', async function () {
    skipUnless(this, rootMissing());
    const impostor = spawn('sleep', ['60'], { argv0: 'kubelet', uid: 65534, gid: 65534, stdio: 'ignore' });
    try {
      await new Promise((resolve, reject) => impostor.once('spawn', resolve).once('error', reject));
      const search = findKubeletProcess(await listProcesses('/'));
      expect(search.ignored).to.deep.include({ pid: impostor.pid, reason: 'owned by uid 65534, not root' });
      expect(search.found?.proc.pid).to.not.equal(impostor.pid);
    } finally {
      impostor.kill('SIGKILL');
    }
  });

  it('finds no kubelet and no processes in an empty host root', async () => {
    const procs = await listProcesses(root);
    expect(procs).to.deep.equal([]);
    expect(await readKubelet(root, procs)).to.equal(undefined);
  });
});
