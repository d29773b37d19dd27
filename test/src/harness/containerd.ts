import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { CriClient, type CriContainerStatus, type CriMessage, type ProfileType } from './containerd-cri.js';
import { IMAGE_NAMES, imagePrerequisites } from './containerd-images.js';
import { RUNC, kubepodsCgroupsPath, removePodCgroups, runcAvailable, type QosClass } from './runc.js';

const execFileAsync = promisify(execFile);
export const CONTAINERD = '/usr/bin/containerd';
export const CTR = '/usr/bin/ctr';
/** The namespace the CRI plugin keeps its images and containers in. */
export const CRI_NAMESPACE = 'k8s.io';

/** undefined when containerd can be run here, else why not. */
export async function containerdAvailable(): Promise<string | undefined> {
  const runc = await runcAvailable();
  if (runc) return runc;
  for (const bin of [CONTAINERD, CTR]) {
    if (!existsSync(bin)) return `${bin} is missing: scripts/setup.sh installs it`;
  }
  return imagePrerequisites();
}

export interface Seccomp {
  type: ProfileType;
  /** For Localhost: the absolute path on the node, as the kubelet passes it (<root-dir>/seccomp/<localhostProfile>). */
  localhostRef?: string;
}

export interface ContainerOptions {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: Record<string, string>;
  mounts?: { containerPath: string; hostPath: string; readonly?: boolean }[];
  seccomp?: Seccomp;
  /** More of LinuxContainerSecurityContext (snake_case), e.g. capabilities, run_as_user, readonly_rootfs. */
  securityContext?: CriMessage;
}

export interface Pod {
  id: string;
  uid: string;
  name: string;
  namespace: string;
  /** The kubelet's cgroupfs layout: /kubepods/<qos>/pod<uid>. */
  cgroupParent: string;
  config: CriMessage;
  /** CreateContainer as the kubelet calls it; rejects with containerd's gRPC error. */
  create(container: ContainerOptions): Promise<string>;
}

export interface Containerd {
  readonly dir: string;
  readonly socket: string;
  readonly configPath: string;
  readonly pid: number;
  readonly cri: CriClient;
  importImage(archive: string): Promise<void>;
  runPod(opts: { name: string; namespace?: string; qosClass?: QosClass; uid?: string }): Promise<Pod>;
  /** The host pid of a running container's first process (from ContainerStatus verbose info). */
  pidOf(containerId: string): Promise<number>;
  /** Resolves with the status once the container has exited. */
  waitExited(containerId: string): Promise<CriContainerStatus>;
  /** What the container wrote, from its CRI log file (stdout and stderr, in order). */
  logs(containerId: string): Promise<string>;
  /** Removes every pod and container, stops containerd and its shims, unmounts and deletes its dirs. */
  stop(): Promise<void>;
}

function configToml(dir: string): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return `version = 2
root = "${dir}/root"
state = "${dir}/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

[grpc]
  address = "${dir}/containerd.sock"
[ttrpc]
  address = "${dir}/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "${dir}/opt"
[${cri}]
  sandbox_image = "${IMAGE_NAMES.pause}"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  # Sandboxes get oom_score_adj -998, which a process without CAP_SYS_RESOURCE (a container, as
  # this machine may be) cannot set: clamp to containerd's own, as containerd does for rootless use.
  restrict_oom_score_adj = true
[${cri}.containerd]
  snapshotter = "overlayfs"
  default_runtime_name = "runc"
[${cri}.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"
[${cri}.containerd.runtimes.runc.options]
  BinaryName = "${RUNC}"
  Root = "${dir}/runc"
  SystemdCgroup = false
[${cri}.cni]
  bin_dir = "${dir}/cni/bin"
  conf_dir = "${dir}/cni/conf"
`;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, child?: ChildProcess): Promise<T> {
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`${what}: containerd exited with ${child.exitCode}`);
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await sleep(100);
  }
}

/** Host pids of processes whose command line holds `needle` (the shims of this containerd name its socket). */
async function pidsWith(needle: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(needle)) pids.push(Number(entry));
  }
  return pids;
}

async function mountsUnder(dir: string): Promise<string[]> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  return info
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((m): m is string => m !== undefined && (m === dir || m.startsWith(`${dir}/`)))
    .sort((a, b) => b.length - a.length);
}

/**
 * Starts Debian's containerd with its own root, state, socket and config in a temp dir: the CRI
 * plugin on, the sandbox image a local busybox that sleeps, no CNI (pods use the node's network
 * namespace), runc with the cgroupfs driver. Nothing is pulled: images come from OCI archives.
 */
export async function startContainerd(): Promise<Containerd> {
  const dir = await mkdtemp(join(tmpdir(), 'ks-containerd-'));
  const socket = join(dir, 'containerd.sock');
  const configPath = join(dir, 'config.toml');
  for (const sub of ['cni/bin', 'cni/conf', 'logs']) await mkdir(join(dir, sub), { recursive: true });
  await writeFile(configPath, configToml(dir));
  const log: string[] = [];
  const child = spawn(CONTAINERD, ['--config', configPath, '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const cri = new CriClient(socket);
  const cgroupParents = new Set<string>();

  const ctr = (args: string[]) => execFileAsync(CTR, ['--address', socket, '--namespace', CRI_NAMESPACE, ...args], { maxBuffer: 1 << 24 });

  const stop = async () => {
    for (const pod of await cri.listPodSandbox().catch(() => [])) {
      await cri.stopPodSandbox(pod.id).catch(() => undefined);
      await cri.removePodSandbox(pod.id).catch(() => undefined);
    }
    cri.close();
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    }
    // What a failed removal left: containers by runc's own state, then the shims of this containerd.
    const runcRoot = join(dir, 'runc', CRI_NAMESPACE);
    for (const id of await readdir(runcRoot).catch(() => [])) {
      await execFileAsync(RUNC, ['--root', runcRoot, 'delete', '-f', id]).catch(() => undefined);
    }
    for (const pid of await pidsWith(socket)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const m of await mountsUnder(dir)) await execFileAsync('umount', ['-l', m]).catch(() => undefined);
    for (const parent of cgroupParents) await removePodCgroups(parent);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await waitFor('containerd socket', async () => (existsSync(socket) ? (await cri.version()).runtime_version : undefined), child);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${log.join('')}`);
  }

  const status = async (id: string) => (await cri.containerStatus(id)).status;

  return {
    dir,
    socket,
    configPath,
    pid: child.pid!,
    cri,
    async importImage(archive) {
      await ctr(['images', 'import', '--no-unpack', archive]);
    },
    async runPod({ name, namespace = 'default', qosClass = 'besteffort', uid = randomUUID() }) {
      const cgroupParent = kubepodsCgroupsPath(qosClass, uid, '').replace(/\/$/, '');
      cgroupParents.add(cgroupParent);
      const logDir = join(dir, 'logs', `${namespace}_${name}_${uid}`);
      await mkdir(logDir, { recursive: true });
      const labels = { 'io.kubernetes.pod.name': name, 'io.kubernetes.pod.namespace': namespace, 'io.kubernetes.pod.uid': uid };
      const config: CriMessage = {
        metadata: { name, uid, namespace, attempt: 0 },
        // No hostname: the kubelet sets none for a pod in the node's network (and UTS) namespace.
        log_directory: logDir,
        labels,
        linux: {
          cgroup_parent: cgroupParent,
          security_context: { namespace_options: { network: 'NODE', pid: 'CONTAINER', ipc: 'POD' }, seccomp: { profile_type: 'RuntimeDefault' } },
        },
      };
      const id = await cri.runPodSandbox(config);
      return {
        id,
        uid,
        name,
        namespace,
        cgroupParent,
        config,
        create: (c) =>
          cri.createContainer(
            id,
            {
              metadata: { name: c.name, attempt: 0 },
              image: { image: c.image },
              command: c.command ?? [],
              args: c.args ?? [],
              envs: Object.entries(c.env ?? {}).map(([key, value]) => ({ key, value })),
              mounts: (c.mounts ?? []).map((m) => ({ container_path: m.containerPath, host_path: m.hostPath, readonly: m.readonly ?? false })),
              labels: { ...labels, 'io.kubernetes.container.name': c.name },
              log_path: `${c.name}/0.log`,
              linux: {
                security_context: {
                  namespace_options: { network: 'NODE', pid: 'CONTAINER', ipc: 'POD' },
                  ...(c.seccomp ? { seccomp: { profile_type: c.seccomp.type, localhost_ref: c.seccomp.localhostRef ?? '' } } : {}),
                  ...c.securityContext,
                },
              },
            },
            config,
          ),
      };
    },
    async pidOf(containerId) {
      const { info } = await cri.containerStatus(containerId, true);
      const pid = (JSON.parse(info.info ?? '{}') as { pid?: number }).pid;
      if (!pid) throw new Error(`container ${containerId} has no pid: ${info.info}`);
      return pid;
    },
    waitExited: (containerId) =>
      waitFor(`container ${containerId} exit`, async () => {
        const s = await status(containerId);
        return s.state === 'CONTAINER_EXITED' ? s : undefined;
      }),
    async logs(containerId) {
      const s = await status(containerId);
      const text = await readFile(s.log_path, 'utf8').catch(() => '');
      // CRI log lines: TIMESTAMP STREAM P|F TEXT (P: a partial line continued in the next record).
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [, , tag, ...rest] = line.split(' ');
          return rest.join(' ') + (tag === 'F' ? '\n' : '');
        })
        .join('');
    },
    stop,
  };
}
