import { execFile, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, copyFile, mkdir, mkdtemp, readdir, readFile, rm, rmdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

/**
 * Runs a busybox container with runc under a seccomp profile, the way a kubelet would place it:
 * a kubepods cgroup path (cgroupfs driver layout, `/kubepods/besteffort/pod<uid>/<64-hex id>`, what
 * containerd's cgroupfs driver creates), so /proc/PID/cgroup of its processes names the pod and the
 * container. runc 1.1.5 here has no systemd to talk to, so the systemd layout
 * (`kubepods-besteffort-pod<uid>.slice:cri-containerd:<id>`) is not available; pass `cgroupsPath`
 * to try another layout where it is.
 *
 * runc reports a container killed by a signal as exit code 128 + signal (SIGSYS: 159).
 */
export const RUNC = '/usr/sbin/runc';
export const BUSYBOX = '/bin/busybox';

const execFileAsync = promisify(execFile);

export type QosClass = 'besteffort' | 'burstable' | 'guaranteed';

export interface ContainerSpec {
  /** The OCI `linux.seccomp` object, as a Localhost profile file would hold it; null: no filter (as a privileged container runs). */
  profile: object | null;
  /** The command, e.g. ['/bin/sh', '-c', 'mkdir /tmp/x']; every busybox applet is in /bin. */
  args: string[];
  /** Default: 64 random hex digits, like a containerd container ID. */
  id?: string;
  /** Default: a random UUID. */
  podUid?: string;
  /** Default besteffort. */
  qosClass?: QosClass;
  /** Overrides the kubepods path built from podUid, qosClass and id. */
  cgroupsPath?: string;
}

export interface ContainerResult {
  id: string;
  /** runc's exit code: the container's, or 128 + signal when a signal killed it. */
  exitCode: number | null;
  /** Set when runc itself was killed. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningContainer {
  id: string;
  podUid: string;
  cgroupsPath: string;
  /** The host pid of the container's first process. */
  pid: number;
  /** Writes to the container's stdin (e.g. to let a `read` in the script go on). */
  send(text: string): void;
  /** Host pids of every process in the container (`runc ps`). */
  processes(): Promise<number[]>;
  /** Settles when the container's first process ends. */
  exited: Promise<ContainerResult>;
  /** Kills what is left (`runc delete -f`), removes the bundle and the pod cgroup; idempotent. */
  stop(): Promise<ContainerResult>;
}

/** undefined when containers can be run here, else the reason they cannot. */
export async function runcAvailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'running containers with runc needs root';
  try {
    await execFileAsync(RUNC, ['--version']);
  } catch (err) {
    return `${RUNC} does not run: ${(err as Error).message}`;
  }
  try {
    if (await isDynamicElf(BUSYBOX)) return `${BUSYBOX} is dynamically linked: install busybox-static`;
  } catch (err) {
    return `${BUSYBOX} is not usable: ${(err as Error).message}`;
  }
  try {
    await access('/sys/fs/cgroup', constants.R_OK);
  } catch {
    return 'no /sys/fs/cgroup';
  }
  return undefined;
}

/** A dynamically linked ELF names its loader in a PT_INTERP program header. */
async function isDynamicElf(path: string): Promise<boolean> {
  const elf = await readFile(path);
  if (elf.readUInt32BE(0) !== 0x7f454c46) throw new Error('not an ELF file');
  const is64 = elf[4] === 2;
  const le = elf[5] === 1;
  const u16 = (o: number) => (le ? elf.readUInt16LE(o) : elf.readUInt16BE(o));
  const u32 = (o: number) => (le ? elf.readUInt32LE(o) : elf.readUInt32BE(o));
  const phoff = is64 ? Number(le ? elf.readBigUInt64LE(0x20) : elf.readBigUInt64BE(0x20)) : u32(0x1c);
  const phentsize = u16(is64 ? 0x36 : 0x2a);
  const phnum = u16(is64 ? 0x38 : 0x2c);
  for (let i = 0; i < phnum; i++) {
    if (u32(phoff + i * phentsize) === 3) return true;
  }
  return false;
}

export function kubepodsCgroupsPath(qosClass: QosClass, podUid: string, id: string): string {
  return qosClass === 'guaranteed' ? `/kubepods/pod${podUid}/${id}` : `/kubepods/${qosClass}/pod${podUid}/${id}`;
}

interface Launched {
  id: string;
  podUid: string;
  cgroupsPath: string;
  child: ReturnType<typeof spawn>;
  exited: Promise<ContainerResult>;
  cleanup(): Promise<void>;
}

async function launch(spec: ContainerSpec): Promise<Launched> {
  const id = spec.id ?? randomBytes(32).toString('hex');
  const podUid = spec.podUid ?? randomUUID();
  const qosClass = spec.qosClass ?? 'besteffort';
  const cgroupsPath = spec.cgroupsPath ?? kubepodsCgroupsPath(qosClass, podUid, id);
  const bundle = await mkdtemp(join(tmpdir(), 'seccomp-test-bundle-'));
  try {
    await makeBundle(bundle, spec, cgroupsPath);
  } catch (err) {
    await rm(bundle, { recursive: true, force: true });
    throw err;
  }
  const child = spawn(RUNC, ['run', '--bundle', bundle, id], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  child.stdin!.on('error', () => undefined);
  const exited = new Promise<ContainerResult>((resolve) => {
    child.once('close', (exitCode, signal) => resolve({ id, exitCode, signal, stdout, stderr }));
  });
  // runc removes the container's cgroup once `runc run` is gone: only then can the pod level go.
  const cleanup = async (): Promise<void> => {
    // A delete that runs while runc is still creating the container finds nothing to delete: try
    // again until `runc run` is gone, rather than wait for ever on its pipes.
    let gone = false;
    void exited.then(() => (gone = true));
    while (!gone) {
      await execFileAsync(RUNC, ['delete', '-f', id]).catch(() => undefined);
      await Promise.race([exited, sleep(500)]);
    }
    await rm(bundle, { recursive: true, force: true });
    if (!spec.cgroupsPath) await removePodCgroups(cgroupsPath.slice(0, cgroupsPath.lastIndexOf('/')));
  };
  return { id, podUid, cgroupsPath, child, exited, cleanup };
}

async function makeBundle(bundle: string, spec: ContainerSpec, cgroupsPath: string): Promise<void> {
  const rootfs = join(bundle, 'rootfs');
  await mkdir(join(rootfs, 'bin'), { recursive: true });
  await mkdir(join(rootfs, 'tmp'));
  await copyFile(BUSYBOX, join(rootfs, 'bin/busybox'));
  const { stdout: applets } = await execFileAsync(BUSYBOX, ['--list']);
  for (const applet of applets.split('\n').filter((a) => a && a !== 'busybox')) {
    await symlink('busybox', join(rootfs, 'bin', applet));
  }
  await execFileAsync(RUNC, ['spec', '--bundle', bundle]);
  const configPath = join(bundle, 'config.json');
  const config = JSON.parse(await readFile(configPath, 'utf8')) as {
    process: { terminal: boolean; args: string[] };
    root: { readonly: boolean };
    linux: Record<string, unknown>;
  };
  config.process.terminal = false;
  config.process.args = spec.args;
  config.root.readonly = false;
  if (spec.profile) config.linux.seccomp = spec.profile;
  config.linux.cgroupsPath = cgroupsPath;
  await writeFile(configPath, JSON.stringify(config, null, 2));
}

/** runc removes the container's cgroup, not the pod level above it that it created. */
export async function removePodCgroups(podPath: string): Promise<void> {
  const roots = ['/sys/fs/cgroup'];
  for (const entry of await readdir('/sys/fs/cgroup').catch(() => [])) roots.push(join('/sys/fs/cgroup', entry));
  await Promise.all(roots.map((root) => rmdir(join(root, podPath)).catch(() => undefined)));
}

/** Runs a container to its end and cleans up. Rejects (after cleaning up) on timeout. */
export async function runContainer(spec: ContainerSpec & { timeoutMs?: number }): Promise<ContainerResult> {
  const launched = await launch(spec);
  const timeoutMs = spec.timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    launched.child.stdin!.end();
    const outcome = await Promise.race([launched.exited, timedOut]);
    if (outcome === 'timeout') throw new Error(`container ${launched.id} still running after ${timeoutMs} ms`);
    return outcome;
  } finally {
    clearTimeout(timer);
    await launched.cleanup();
  }
}

/** Starts a container and resolves once it runs, with its host pid; call stop() in an after hook. */
export async function startContainer(spec: ContainerSpec & { startTimeoutMs?: number }): Promise<RunningContainer> {
  const launched = await launch(spec);
  let stopped: Promise<ContainerResult> | undefined;
  const stop = (): Promise<ContainerResult> => {
    stopped ??= (async () => {
      await launched.cleanup();
      return launched.exited;
    })();
    return stopped;
  };
  let pid: number;
  try {
    pid = await waitRunning(launched, spec.startTimeoutMs ?? 15_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    id: launched.id,
    podUid: launched.podUid,
    cgroupsPath: launched.cgroupsPath,
    pid,
    send: (text) => launched.child.stdin!.write(text),
    processes: async () => {
      const { stdout } = await execFileAsync(RUNC, ['ps', '--format', 'json', launched.id]);
      return JSON.parse(stdout) as number[];
    },
    exited: launched.exited,
    stop,
  };
}

async function waitRunning(launched: Launched, timeoutMs: number): Promise<number> {
  let ended: ContainerResult | undefined;
  void launched.exited.then((r) => (ended = r));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (ended) throw new Error(`container ${launched.id} ended before it was seen running: exit ${ended.exitCode}; ${ended.stderr.trim()}`);
    try {
      const { stdout } = await execFileAsync(RUNC, ['state', launched.id]);
      const state = JSON.parse(stdout) as { status: string; pid: number };
      if (state.status === 'running' && state.pid > 0) return state.pid;
    } catch {
      // Not created yet.
    }
    await sleep(20);
  }
  throw new Error(`container ${launched.id} did not start within ${timeoutMs} ms`);
}
