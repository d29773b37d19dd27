import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DoctorResponse } from '@kubectl-seccomp/proto';
import { fixtureEnv } from './testing/fixture-hosts.js';
import { defaultProfileDir, doctor, readNodeFacts } from './index.js';

const byId = (report: DoctorResponse) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]));

describe('doctor', () => {
  describe('readNodeFacts', () => {
    it('reads the healthy node', async () => {
      const facts = await readNodeFacts(fixtureEnv('healthy'));
      expect(facts.processCount).to.equal(8);
      expect(facts.kubelet).to.deep.include({ pid: 500, kind: 'kubelet' });
      expect(facts.kubelet?.flags).to.include({ config: '/var/lib/kubelet/config.yaml', kubeconfig: '/etc/kubernetes/kubelet.conf', 'node-ip': '10.0.0.11' });
      expect(facts.kubelet?.configs).to.deep.equal([
        { path: '/var/lib/kubelet/config.yaml', error: '', seccompDefault: true, containerRuntimeEndpoint: 'unix:///run/containerd/containerd.sock' },
      ]);
      expect(facts.kubeletRootResolved).to.equal('/var/lib/kubelet');
      expect(facts.kernel).to.deep.include({
        release: '6.8.0-45-generic',
        machine: 'x86_64',
        statusHasSeccomp: true,
        configSource: '/boot/config-6.8.0-45-generic',
      });
      expect(facts.kernel.actionsLogged).to.include('log');
      expect(facts.profileDir).to.deep.include({ hostPath: '/var/lib/kubelet/seccomp', exists: true, isDirectory: true });
      expect(facts.profileDir.files).to.deep.equal([{ path: 'profiles/web.json', error: '' }]);
      expect(facts.logs).to.deep.include({ dmesgRestrict: 1, printkRatelimit: 5, printkRatelimitBurst: 10 });
      expect(facts.logs.probe).to.include({ auditdRunning: false, journaldRunning: true, journalPresent: true });
      expect(facts.logs.kmsg).to.deep.equal({ path: '/dev/kmsg', error: '' });
      expect(facts.runtime.containerRuntimes).to.deep.equal([{ name: 'containerd', pid: 400, exe: '/usr/bin/containerd', version: '' }]);
      expect(facts.runtime.ociRuntimes).to.deep.equal([{ name: 'runc', path: '/usr/bin/runc', version: '1.2.0', versionSource: 'binary' }]);
      expect(facts.containers.map((c) => [c.containerId.slice(0, 4), c.pid, c.comm, c.mode, c.filters])).to.deep.equal([
        ['a1a1', 921, 'nginx', 'filter', 1],
        ['b2b2', 1010, 'server', 'filter', 1],
      ]);
      expect(facts.containers[0]?.podUid).to.equal('0f3c6a2e-1b7d-4e8a-9c55-2d6f0a1b3c4d');
    });

    it('reads the broken node', async () => {
      const facts = await readNodeFacts(fixtureEnv('broken'));
      expect(facts.kubelet?.flags).to.include({ 'root-dir': '/var/lib/k0s/kubelet', 'container-runtime-endpoint': 'unix:///var/run/crio/crio.sock' });
      expect(facts.kubelet?.configs[0]).to.include({ path: '/var/lib/k0s/kubelet-config.yaml', seccompDefault: false, error: '' });
      expect(facts.kernel.actionsLogged).to.not.include('log');
      expect(facts.kernel.statusHasSeccomp).to.equal(false);
      expect(facts.kernel.config).to.equal(undefined);
      expect(facts.logs.probe.auditdRunning).to.equal(true);
      expect(facts.logs.auditLog).to.deep.equal({ path: '/var/log/audit/audit.log', error: 'ENOENT' });
      expect(facts.logs.kmsg.error).to.equal('ENOENT');
      expect(facts.runtime.containerRuntimes.map((r) => r.name)).to.deep.equal(['cri-o']);
      expect(facts.runtime.configuredOci).to.deep.equal({ name: 'runc', path: '', source: '/etc/crio/crio.conf' });
      expect(facts.runtime.ociRuntimes[0]).to.include({ name: 'runc', path: '/usr/sbin/runc', version: '1.1.5' });
      expect(facts.profileDir.files.map((f) => f.path)).to.deep.equal(['broken.json', 'good.json']);
      expect(facts.containers.map((c) => [c.pid, c.comm, c.mode])).to.deep.equal([
        [1205, 'sh', 'disabled'],
        [1307, 'redis-server', 'filter'],
      ]);
    });
  });

  it('reports a healthy node as all pass', async () => {
    const capture = { auditNetlink: { used: true, reason: 'joined' }, processTracking: { used: true, reason: 'attached' }, sources: ['netlink'] };
    const report = await doctor({ ...fixtureEnv('healthy'), capture: () => capture });
    expect(report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.summary}`)).to.deep.equal([]);
    expect(report.node).to.deep.include({ nodeName: 'node-healthy', agentVersion: '0.1.0', ociRuntimeVersion: '1.2.0' });
    expect(report.containers).to.have.length(2);
  });

  it('reports every problem of the broken node', async () => {
    const report = await doctor(fixtureEnv('broken'));
    expect(byId(report)).to.deep.include({
      'kubelet.seccomp-default': 'warn',
      'kubelet.root-dir': 'fail',
      'profiles.files': 'warn',
      'kernel.actions-logged': 'warn',
      'log.auditd': 'fail',
      'log.kmsg': 'warn',
      'log.rate-limit': 'warn',
      'runtime.oci': 'warn',
      'containers.seccomp': 'warn',
    });
    expect(report.node).to.deep.include({ kubeletRootDir: '/var/lib/k0s/kubelet', containerRuntime: 'cri-o', filterFlagLogSupported: false });
  });

  it('fails the profile dir when it is a symlink the agent would follow elsewhere', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'seccomp-host-'));
    try {
      await mkdir(path.join(root, 'var/lib/kubelet'), { recursive: true });
      await mkdir(path.join(root, 'srv/seccomp'), { recursive: true });
      await symlink('/srv/seccomp', path.join(root, 'var/lib/kubelet/seccomp'));
      const report = await doctor({ hostRoot: root, profileDir: path.join(root, 'var/lib/kubelet/seccomp'), nodeName: 'n', agentVersion: '0' });
      const check = report.checks.find((c) => c.id === 'profiles.dir');
      expect(check?.status).to.equal('fail');
      expect(check?.detail).to.contain('/srv/seccomp');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('reports, never throws, on a host root that does not exist', async () => {
    const missing = path.join(os.tmpdir(), 'seccomp-no-such-root');
    const report = await doctor({ hostRoot: missing, profileDir: path.join(missing, 'p'), nodeName: 'n', agentVersion: '0' });
    expect(byId(report)).to.deep.include({ 'kubelet.process': 'warn', 'profiles.dir': 'warn', 'kernel.release': 'warn' });
  });

  it('reports, never throws, on a host root full of damaged files', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'seccomp-host-'));
    try {
      const put = async (rel: string, content: string | Buffer) => {
        await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
        await writeFile(path.join(root, rel), content);
      };
      const junk = Buffer.from([0xff, 0x00, 0xfe, 0x3a, 0x0a, 0x00, 0x3d]);
      await put('proc/7/cmdline', Buffer.from('/usr/bin/kubelet\0--config\0/etc/k.yaml\0--root-dir\0'));
      await put('proc/7/status', Buffer.concat([Buffer.from('Uid:\t0\t0\t0\t0\n'), junk]));
      await put('proc/7/cgroup', junk);
      await put('proc/8/status', 'Seccomp:\tlots\nPPid:\t-1\n');
      await put('proc/8/cgroup', '0::/kubepods.slice/cri-containerd-zz.scope\n');
      await put('etc/k.yaml', 'seccompDefault: [unclosed\n');
      await put('proc/sys/kernel/seccomp/actions_avail', '');
      await put('proc/sys/kernel/seccomp/actions_logged', junk);
      await put('proc/sys/kernel/printk_ratelimit', 'x');
      await put('proc/config.gz', junk);
      await put('usr/bin/runc', junk);
      await put('etc/containerd/config.toml', '[[[ default_runtime_name = \n');
      await put('p/x.json', junk);
      const report = await doctor({ hostRoot: root, profileDir: path.join(root, 'p'), nodeName: 'n', agentVersion: '0' });
      const statuses = byId(report);
      expect(statuses['kubelet.config']).to.equal('warn');
      expect(statuses['kernel.seccomp']).to.equal('fail');
      expect(statuses['profiles.files']).to.equal('warn');
      expect(report.checks.every((c) => c.summary !== '')).to.equal(true);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('finds the kubelet seccomp dir under a host root', async () => {
    const broken = fixtureEnv('broken');
    expect(await defaultProfileDir(broken.hostRoot)).to.equal(path.join(broken.hostRoot, 'var/lib/k0s/kubelet/seccomp'));
    const empty = await mkdtemp(path.join(os.tmpdir(), 'seccomp-host-'));
    try {
      expect(await defaultProfileDir(empty)).to.equal(path.join(empty, 'var/lib/kubelet/seccomp'));
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('never executes binaries under a host root', async () => {
    let ran = 0;
    const env = {
      ...fixtureEnv('healthy'),
      runCommand: async () => {
        ran++;
        return 'runc version 9.9.9';
      },
    };
    const facts = await readNodeFacts(env);
    expect(ran).to.equal(0);
    expect(facts.runtime.ociRuntimes[0]?.version).to.equal('1.2.0');
  });

  describe('on this machine', () => {
    it('does not throw and reports the kernel as pass or warn', async function () {
      if (!existsSync('/proc/sys/kernel/seccomp/actions_avail')) {
        if (process.env.CI) throw new Error('a Linux kernel with seccomp is required in CI');
        this.skip();
      }
      const calls: string[] = [];
      const report = await doctor({
        hostRoot: '/',
        profileDir: path.join(os.tmpdir(), 'seccomp-doctor-missing'),
        nodeName: os.hostname(),
        agentVersion: '0.1.0',
        runCommand: async (file, args) => {
          calls.push(`${file} ${args.join(' ')}`);
          return 'runc version 1.1.5\n';
        },
      });
      const statuses = byId(report);
      for (const id of ['kernel.seccomp', 'kernel.actions-logged', 'kernel.release', 'kernel.audit']) {
        expect(['pass', 'warn'], id).to.include(statuses[id]);
      }
      expect(report.node.kernelRelease).to.equal(readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim());
      expect(report.node.machine).to.equal(os.machine());
      // Local mode runs host binaries through the injected runner only, and only from system dirs.
      for (const call of calls) expect(call).to.match(/^\/(usr\/)?(local\/)?s?bin\/\S+ --version$/);
    });
  });
});
