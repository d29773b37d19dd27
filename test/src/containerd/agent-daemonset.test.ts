import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import type { DoctorOutput, PushOutput } from '@kubectl-seccomp/cli';
import { startAgentProcess, type AgentProcess } from '../harness/agent-process.js';
import { containerdAvailable, startContainerd, type Containerd } from '../harness/containerd.js';
import { containerFromDaemonSet, type DaemonSetSubset, type NodeLayout } from '../harness/containerd-daemonset.js';
import { IMAGE_NAMES, imageArchive, REPO } from '../harness/containerd-images.js';
import { hasKubectl, kustomize } from '../deploy/kustomize.js';
import { journaldAvailable, startJournald, type TestJournald } from '../harness/journald.js';
import { waitFor } from '../e2e/support.js';
import { skipUnless } from '../kernel/support.js';
import { cli, startWatch, type Watch } from './support.js';

const execFileAsync = promisify(execFile);
const NODE = 'cri-node';
const AGENT_PROFILE = 'kubectl-seccomp/seccomp-agent.json';

/**
 * The agent image run the way its DaemonSet runs it, from the rendered manifests (the self-profile
 * overlay: its own catalog profile as Localhost): same args, env, securityContext and hostPath
 * mounts, through containerd's CRI. One difference, named here: the pod is in the node's network
 * namespace (no CNI on this machine, and tests talk only over loopback), so the agent's loopback
 * port is the node's and the CLI dials it with --agent. The kubelet would also give it an API
 * server and a token; without one the agent runs as with --kube off.
 *
 * A second agent on the host, outside any container, watches the kernel log for the whole cycle:
 * the containerized agent's own violations are those its container ID is named with. This machine
 * runs no journald: the test starts one (volatile journal, as on many nodes) for the node's
 * /run/log/journal, since a container cannot open /dev/kmsg.
 */
describe('containerd: the agent image as its DaemonSet runs it, under its own profile', function () {
  this.timeout(300_000);
  let containerd: Containerd | undefined;
  let observer: AgentProcess | undefined;
  let observed: Watch | undefined;
  let journald: TestJournald | undefined;
  let ds: DaemonSetSubset;
  let layout: NodeLayout;
  let kubeletRoot: string;

  before(async function () {
    this.timeout(900_000);
    skipUnless(
      this,
      (await containerdAvailable()) ?? (await journaldAvailable()) ?? (hasKubectl() ? undefined : 'kubectl (kustomize) renders the manifests: not installed'),
    );
    // The node's journald (volatile storage): the agent's source when /dev/kmsg is not open to a container.
    journald = await startJournald();
    const archives = await Promise.all([imageArchive('busybox'), imageArchive('pause'), imageArchive('agent')]);
    containerd = await startContainerd();
    for (const archive of archives) await containerd.importImage(archive);
    kubeletRoot = join(containerd.dir, 'kubelet');
    await mkdir(join(kubeletRoot, 'seccomp'), { recursive: true });
    const standIns = join(containerd.dir, 'absent');
    layout = {
      nodeName: NODE,
      kubeletRoot,
      // The kubelet's dir is this test's; other host paths are the node's own, read-only in the manifest.
      // A path the node lacks is what containerd would create for a hostPath of type "": an empty dir,
      // made here beside the test instead of on the host.
      hostPath: (path) => {
        if (path.startsWith('/var/lib/kubelet/')) return join(kubeletRoot, path.slice('/var/lib/kubelet/'.length));
        if (path === '/run/log/journal') return journald!.journalDir;
        return existsSync(path) ? path : join(standIns, path);
      },
      emptyDir: (name) => join(containerd!.dir, 'empty-dirs', name),
    };
    for (const path of ['/var/log/audit', '/etc/kubernetes', '/var/lib/kubelet/config.yaml', '/run/log/journal', '/var/log/journal']) {
      if (!existsSync(path)) await mkdir(join(standIns, path), { recursive: true });
    }
    await mkdir(join(containerd.dir, 'empty-dirs/tmp'), { recursive: true });
    // emptyDir medium: Memory, as the kubelet mounts it.
    await execFileAsync('mount', ['-t', 'tmpfs', '-o', 'size=16m,mode=1777', 'tmpfs', join(containerd.dir, 'empty-dirs/tmp')]);
    const rendered = kustomize(join(REPO, 'manifests/overlays/self-profile'));
    ds = rendered.find((o) => o.kind === 'DaemonSet') as unknown as DaemonSetSubset;
    observer = await startAgentProcess(['--host-root', '/', '--profile-dir', join(kubeletRoot, 'seccomp'), '--kube', 'off', '--sources', 'auto']);
    observed = await startWatch('observer', observer.address);
  });

  after(async () => {
    observed?.stop();
    await observer?.stop();
    await containerd?.stop();
    await journald?.stop();
  });

  async function push(address: string, args: string[]): Promise<PushOutput> {
    const r = await cli(['push', '-o', 'json', '--agent', `${NODE}=${address}`, ...args]);
    expect(r.code, `${r.stdout} ${r.stderr}`).to.equal(0);
    return JSON.parse(r.stdout) as PushOutput;
  }

  /** Runs the DaemonSet's agent container in a new pod; resolves with its ID once it listens. */
  async function runAgentPod(attempt: string): Promise<{ id: string; podUid: string; address: string }> {
    const pod = await containerd!.runPod({ name: `seccomp-agent-${attempt}`, namespace: 'kubectl-seccomp' });
    const id = await pod.create(containerFromDaemonSet(ds, 'agent', layout));
    await containerd!.cri.startContainer(id);
    const line = await waitFor(
      'the containerized agent to listen',
      async () => {
        const status = (await containerd!.cri.containerStatus(id)).status;
        if (status.state === 'CONTAINER_EXITED') throw new Error(`the agent exited (${status.exit_code}): ${await containerd!.logs(id)}`);
        return (await containerd!.logs(id)).split('\n').find((l) => l.includes('"msg":"listening"'));
      },
      { attempts: 600 },
    );
    return { id, podUid: pod.uid, address: (JSON.parse(line) as { address: string }).address };
  }

  it('under a LOG-mode copy of its profile, doctor + push + watch work and the agent logs 0 violations of its own', async () => {
    const audit = await push(observer!.address, ['--audit', join(REPO, 'profiles/catalog/seccomp-agent.json')]);
    expect(audit.nodes[0]!.results[0]!.path).to.equal(AGENT_PROFILE);
    const onNode = JSON.parse(await readFile(join(kubeletRoot, 'seccomp', AGENT_PROFILE), 'utf8')) as { defaultAction: string };
    expect(onNode.defaultAction).to.equal('SCMP_ACT_LOG');

    const agent = await runAgentPod('audit');
    expect(agent.address).to.equal('127.0.0.1:50051');

    const doctor = await cli(['doctor', '-o', 'json', '--agent', `${NODE}=${agent.address}`]);
    const node = (JSON.parse(doctor.stdout) as DoctorOutput).nodes[0]!;
    expect(node.status, doctor.stderr).to.equal('ok');
    const check = (id: string) => node.checks.find((c) => c.id === id);
    expect(check('runtime.container')?.summary).to.match(/^containerd /);
    expect(check('profiles.dir')?.status).to.equal('pass');

    const pushed = await push(agent.address, [join(REPO, 'profiles/catalog/deny-mkdir.json')]);
    expect(pushed.nodes[0]!.results[0]!.error).to.equal('');
    expect(existsSync(join(kubeletRoot, 'seccomp', pushed.nodes[0]!.results[0]!.path)), 'written where containerd reads profiles').to.equal(true);

    const watch = await startWatch(NODE, agent.address);
    try {
      const logSleep = join(kubeletRoot, 'seccomp', 'log-sleep.json');
      await writeFile(
        logSleep,
        JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['clock_nanosleep', 'nanosleep'], action: 'SCMP_ACT_LOG' }] }),
      );
      const pod = await containerd!.runPod({ name: 'watched', namespace: 'shop' });
      const workload = await pod.create({
        name: 'app',
        image: IMAGE_NAMES.busybox,
        command: ['/bin/sleep', '3600'],
        seccomp: { type: 'Localhost', localhostRef: logSleep },
      });
      await containerd!.cri.startContainer(workload);
      const seen = await waitFor('the containerized agent to report the workload', () => watch.violations().find((v) => v.containerId === workload), {
        attempts: 600,
      });
      expect(seen.podUid).to.equal(pod.uid);
      // The observer has read the kernel log at least this far: anything the agent did before is in.
      await waitFor('the observer to see the same record', () => observed!.violations().some((v) => v.auditId === seen.auditId), { attempts: 600 });
    } finally {
      watch.stop();
    }
    await containerd!.cri.stopContainer(agent.id, 15);
    const own = observed!.violations().filter((v) => v.containerId === agent.id);
    expect(own, JSON.stringify(own.slice(0, 5))).to.deep.equal([]);
    const lost = observed!.stats().at(-1)!.lost;
    expect(lost, 'records the kernel dropped while observing: 0 violations cannot be told').to.equal(0);
  });

  it('under its profile as shipped (default ERRNO), it starts and answers doctor', async () => {
    await push(observer!.address, [join(REPO, 'profiles/catalog/seccomp-agent.json')]);
    const onNode = JSON.parse(await readFile(join(kubeletRoot, 'seccomp', AGENT_PROFILE), 'utf8')) as { defaultAction: string };
    expect(onNode.defaultAction).to.equal('SCMP_ACT_ERRNO');
    const agent = await runAgentPod('enforcing');
    const doctor = await cli(['doctor', '-o', 'json', '--agent', `${NODE}=${agent.address}`]);
    expect((JSON.parse(doctor.stdout) as DoctorOutput).nodes[0]!.status, doctor.stderr).to.equal('ok');
    await containerd!.cri.stopContainer(agent.id, 15);
  });
});
