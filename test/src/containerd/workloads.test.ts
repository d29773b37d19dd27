import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import type { DoctorOutput, PushOutput } from '@kubectl-seccomp/cli';
import { startAgentProcess, type AgentProcess } from '../harness/agent-process.js';
import { containerdAvailable, CRI_NAMESPACE, CTR, startContainerd, type Containerd, type Pod } from '../harness/containerd.js';
import { IMAGE_NAMES, imageArchive, REPO } from '../harness/containerd-images.js';
import { skipUnless } from '../kernel/support.js';
import { waitFor } from '../e2e/support.js';
import { cli, seccompMode, startWatch } from './support.js';

const execFileAsync = promisify(execFile);
const AGENT_IMAGE = 'ghcr.io/kubectl-seccomp/seccomp-agent:0.1.0';

/**
 * A Docker-format profile as users write them: containerd reads none of archMap, includes or
 * excludes, so unflattened the rule conditioned on CAP_SYS_ADMIN would deny rmdir in every
 * container. Flattened for a container with the default capabilities: the excludes rule (mkdir
 * denied) applies, the includes rule (rmdir denied) does not.
 */
const DOCKER_PROFILE = {
  defaultAction: 'SCMP_ACT_ALLOW',
  archMap: [{ architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86', 'SCMP_ARCH_X32'] }],
  syscalls: [
    { names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1, excludes: { caps: ['CAP_SYS_ADMIN'] } },
    { names: ['rmdir', 'unlinkat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1, includes: { caps: ['CAP_SYS_ADMIN'] } },
  ],
};

describe('containerd: workloads through the CRI plugin, profiles pushed by the agent', function () {
  this.timeout(180_000);
  let containerd: Containerd | undefined;
  let agent: AgentProcess | undefined;
  let dir: string | undefined;

  before(async function () {
    this.timeout(900_000);
    skipUnless(this, await containerdAvailable());
    dir = await mkdtemp(join(tmpdir(), 'ks-cri-e2e-'));
    const archives = await Promise.all([imageArchive('busybox'), imageArchive('pause'), imageArchive('agent')]);
    containerd = await startContainerd();
    for (const archive of archives) await containerd.importImage(archive);
    agent = await startAgentProcess(['--host-root', '/', '--profile-dir', join(dir, 'seccomp'), '--kube', 'off', '--sources', 'kmsg']);
  });

  after(async () => {
    await agent?.stop();
    await containerd?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function push(file: string): Promise<PushOutput> {
    const r = await cli(['push', '-o', 'json', '--agent', `node=${agent!.address}`, file]);
    expect(r.code, r.stderr).to.equal(0);
    return JSON.parse(r.stdout) as PushOutput;
  }

  /** Runs a busybox script in a new pod to its end; returns what it printed and its exit code. */
  async function runScript(pod: Pod, name: string, script: string, seccomp: Parameters<Pod['create']>[0]['seccomp']) {
    const id = await pod.create({ name, image: IMAGE_NAMES.busybox, command: ['/bin/sh', '-c', script], seccomp });
    await containerd!.cri.startContainer(id);
    const status = await containerd!.waitExited(id);
    return { id, exitCode: status.exit_code, output: await containerd!.logs(id) };
  }

  it('ctr imports the agent image from its OCI archive; in it, seccomp-agent --help, node and journalctl run', async () => {
    const run = async (...command: string[]) => {
      const id = `ks-run-${process.pid}-${command[0]}`;
      const args = ['--address', containerd!.socket, '--namespace', CRI_NAMESPACE, 'run', '--rm', AGENT_IMAGE, id, ...command];
      return (await execFileAsync(CTR, args)).stdout;
    };
    const help = await run('seccomp-agent', '--help');
    expect(help).to.match(/seccomp-agent/);
    expect(help).to.match(/--host-root/);
    expect((await run('node', '--version')).trim()).to.equal(`v${(await readFile(join(REPO, '.node-version'), 'utf8')).trim()}`);
    expect(await run('journalctl', '--version')).to.match(/^systemd \d+/);
  });

  it('a Docker-format profile pushed by the agent is flattened for containerd, which enforces exactly that', async () => {
    const file = join(dir!, 'docker-format.json');
    await writeFile(file, JSON.stringify(DOCKER_PROFILE));
    const out = await push(file);
    const result = out.nodes[0]!.results[0]!;
    expect(result, JSON.stringify(out)).to.include({ flattened: true, error: '' });
    const pod = await containerd!.runPod({ name: 'docker-format', namespace: 'shop' });
    const localhostRef = join(dir!, 'seccomp', result.path);
    const script = 'grep Seccomp: /proc/self/status; mkdir /tmp/new && echo mkdir-allowed; rmdir /tmp && echo rmdir-allowed; true';
    const run = await runScript(pod, 'app', script, { type: 'Localhost', localhostRef });
    expect(run.output).to.match(/^Seccomp:\s+2$/m);
    expect(run.output).to.match(/mkdir: can't create directory '\/tmp\/new': Operation not permitted/);
    expect(run.output).not.to.include('mkdir-allowed');
    expect(run.output).to.include('rmdir-allowed');
  });

  it('a running container under a pushed Localhost profile is in filter mode, in the kubelet cgroup layout', async () => {
    const pod = await containerd!.runPod({ name: 'long', namespace: 'shop' });
    const file = join(dir!, 'log-mkdir.json');
    await writeFile(file, JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_LOG' }] }));
    const result = (await push(file)).nodes[0]!.results[0]!;
    const id = await pod.create({
      name: 'sleeper',
      image: IMAGE_NAMES.busybox,
      command: ['/bin/sleep', '3600'],
      seccomp: { type: 'Localhost', localhostRef: join(dir!, 'seccomp', result.path) },
    });
    await containerd!.cri.startContainer(id);
    try {
      const pid = await containerd!.pidOf(id);
      expect(await seccompMode(pid)).to.equal(2);
      expect(await readFile(`/proc/${pid}/cgroup`, 'utf8')).to.include(`${pod.cgroupParent}/${id}`);
    } finally {
      await containerd!.cri.stopContainer(id);
    }
  });

  it('a Localhost profile missing on the node fails CreateContainer with the message the kubelet reports', async () => {
    const pod = await containerd!.runPod({ name: 'missing', namespace: 'shop' });
    const localhostRef = join(dir!, 'seccomp', 'kubectl-seccomp', 'not-pushed.json');
    const err = await pod.create({ name: 'app', image: IMAGE_NAMES.busybox, command: ['true'], seccomp: { type: 'Localhost', localhostRef } }).then(
      () => undefined,
      (e: Error & { details?: string }) => e,
    );
    expect(err?.details).to.equal(
      `failed to create containerd container: cannot load seccomp profile "${localhostRef}": open ${localhostRef}: no such file or directory`,
    );
  });

  /** Starts a container under a pushed profile and returns its id, stopped by the pod's removal in after(). */
  async function startUnder(pod: Pod, name: string, command: string[], seccomp: Parameters<Pod['create']>[0]['seccomp']): Promise<string> {
    const id = await pod.create({ name, image: IMAGE_NAMES.busybox, command, seccomp });
    await containerd!.cri.startContainer(id);
    return id;
  }

  it("doctor reports containerd and its containers' effective seccomp modes by containerd's container IDs", async () => {
    const pod = await containerd!.runPod({ name: 'doctor', namespace: 'shop' });
    const confined = await startUnder(pod, 'confined', ['/bin/sleep', '3600'], { type: 'RuntimeDefault' });
    const unconfined = await startUnder(pod, 'unconfined', ['/bin/sleep', '3600'], { type: 'Unconfined' });
    const r = await cli(['doctor', '-o', 'json', '--agent', `node=${agent!.address}`]);
    const checks = (JSON.parse(r.stdout) as DoctorOutput).nodes[0]!.checks;
    const check = (id: string) => checks.find((c) => c.id === id);
    const version = (await execFileAsync('/usr/bin/containerd', ['--version'])).stdout.split(' ')[2]!.trim();
    expect(check('runtime.container')?.summary).to.equal(`containerd ${version} (pid ${containerd!.pid})`);
    const modes = check('containers.seccomp');
    expect(modes?.status).to.equal('warn');
    expect(modes?.detail).to.include(`${unconfined.slice(0, 12)} sleep (pid ${await containerd!.pidOf(unconfined)})`);
    expect(modes?.detail).not.to.include(confined.slice(0, 12));
  });

  /**
   * The process that makes the logged call stays: a workload's long-lived main process (sleep, in
   * clock_nanosleep). Its shell's mkdir child exits at once: naming a process gone before its record
   * is read is the capture work of issue 11; here it must at least never be named as another container.
   */
  it("watch names violations of a containerd container by containerd's container ID and the pod UID of its cgroup", async () => {
    const file = join(dir!, 'log-sleep.json');
    const calls = ['mkdir', 'mkdirat', 'clock_nanosleep', 'nanosleep'];
    await writeFile(file, JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: calls, action: 'SCMP_ACT_LOG' }] }));
    const result = (await push(file)).nodes[0]!.results[0]!;
    const watch = await startWatch('node', agent!.address);
    try {
      const pod = await containerd!.runPod({ name: 'watched', namespace: 'shop' });
      const localhostRef = join(dir!, 'seccomp', result.path);
      const id = await startUnder(pod, 'app', ['/bin/sh', '-c', 'mkdir /tmp/new; exec sleep 3600'], { type: 'Localhost', localhostRef });
      const pid = await containerd!.pidOf(id);
      const seen = () => watch.violations();
      const sleeping = await waitFor("the clock_nanosleep record of the container's sleep", () => seen().find((v) => v.pid === pid), { attempts: 600 });
      expect(sleeping).to.include({ containerId: id, podUid: pod.uid, comm: 'sleep', action: 'SCMP_ACT_LOG' });
      expect(sleeping.syscall).to.be.oneOf(['clock_nanosleep', 'nanosleep']);
      const mkdir = await waitFor('the mkdir record', () => seen().find((v) => v.comm === 'mkdir' && v.syscall === 'mkdir'), { attempts: 600 });
      expect(mkdir.containerId).to.be.oneOf([id, '']);
    } finally {
      watch.stop();
    }
  });
});
