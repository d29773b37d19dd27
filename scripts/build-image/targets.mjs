// What goes into each image this repository builds without Docker. `agent` is the Dockerfile's
// runtime stage (test/src/deploy/image-config.test.ts holds the two to the same config and files);
// `busybox` and `pause` are the tests' workload and pod sandbox images.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { copyClosure, debianTree } from './rootfs.mjs';

const SUITE = 'bookworm';
const PATH_ENV = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Files the agent image takes from a built tree: [path in the repository, path in the image]. */
export const AGENT_FILES = [
  ['agent/package.json', '/app/agent/package.json'],
  ['agent/bin', '/app/agent/bin'],
  ['agent/bundle', '/app/agent/bundle'],
];
/**
 * Native helpers the agent and the audit relay run, where the Dockerfile puts them (on PATH: the relay
 * DaemonSet names the command): [repository path of this machine's build, image path]. An image of
 * another architecture gets a cross build (scripts/build-native.sh --arch) against that
 * architecture's Debian libraries, in agent/native/build/linux-ARCH/.
 */
export const AGENT_NATIVE = [['agent/native/build/seccomp-capture', '/usr/local/bin/seccomp-capture']];
/** Debian's packages a cross build of the native helpers compiles and links against. */
const NATIVE_BUILD_PACKAGES = ['libbpf-dev', 'libelf-dev', 'zlib1g-dev', 'linux-libc-dev'];
/** Packages whose files the agent's programs load: libc and the C++ runtime (Node), journalctl (the journald source), env (the bin's shebang), libbpf (native helpers). */
const AGENT_PACKAGES = ['libc6', 'libgcc-s1', 'libstdc++6', 'systemd', 'coreutils', 'libbpf1'];

export const NODE_ARCH = { amd64: 'x64', arm64: 'arm64' };

const ELF_MACHINE = { amd64: 'Advanced Micro Devices X86-64', arm64: 'AArch64' };

function elfMachine(file) {
  return /Machine:\s+(.*)/.exec(execFileSync('readelf', ['-h', file], { encoding: 'utf8' }))?.[1].trim();
}

/**
 * The native helper `src` (this machine's build) for `arch`: that build when it is for `arch`, else a
 * cross build of it; undefined (and said) when neither can be had, and the image goes without it.
 */
function nativeFor({ repo, cache, arch, src, log }) {
  const file = join(repo, src);
  if (existsSync(file) && elfMachine(file) === ELF_MACHINE[arch]) return src;
  const deps = debianTree({ cache, suite: SUITE, arch, packages: NATIVE_BUILD_PACKAGES, log });
  execFileSync('bash', [join(repo, 'scripts/build-native.sh'), '--arch', arch, '--deps', deps], { stdio: ['ignore', 'ignore', 'inherit'] });
  const cross = join(dirname(src), `linux-${arch}`, basename(src));
  if (existsSync(join(repo, cross)) && elfMachine(join(repo, cross)) === ELF_MACHINE[arch]) return cross;
  log(`${src} could not be built for ${arch}: not in the ${arch} image`);
  return undefined;
}

function place(rootfs, inImage, source) {
  mkdirSync(dirname(join(rootfs, inImage)), { recursive: true });
  cpSync(source, join(rootfs, inImage), { recursive: true, verbatimSymlinks: true });
}

/** /etc/passwd and /etc/group naming root only, and a world-writable /tmp, as a base image has. */
function baseFiles(rootfs) {
  mkdirSync(join(rootfs, 'etc'), { recursive: true });
  writeFileSync(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/usr/sbin/nologin\n');
  writeFileSync(join(rootfs, 'etc/group'), 'root:x:0:\n');
  mkdirSync(join(rootfs, 'tmp'), { recursive: true });
  chmodSync(join(rootfs, 'tmp'), 0o1777);
}

export function agentTarget({ repo, cache, log }) {
  const pkg = JSON.parse(readFileSync(join(repo, 'agent/package.json'), 'utf8'));
  for (const [src] of AGENT_FILES) {
    if (!existsSync(join(repo, src))) throw new Error(`${src} is missing: run npm run build first`);
  }
  const nodeVersion = readFileSync(join(repo, '.node-version'), 'utf8').trim();
  return {
    file: 'seccomp-agent',
    name: `ghcr.io/kubectl-seccomp/seccomp-agent:${pkg.version}`,
    platforms: ['amd64', 'arm64'],
    config: {
      entrypoint: ['seccomp-agent'],
      user: '0:0',
      workingDir: '/app',
      env: {
        PATH: PATH_ENV,
        NODE_VERSION: nodeVersion,
        NODE_ENV: 'production',
        NODE_OPTIONS: '--max-old-space-size=160 --max-semi-space-size=4',
      },
    },
    layers(arch) {
      const tree = debianTree({ cache, suite: SUITE, arch, packages: AGENT_PACKAGES, log });
      const node = execFileSync(join(repo, 'scripts/install-node.sh'), [NODE_ARCH[arch]], { encoding: 'utf8' }).trim();
      const native = AGENT_NATIVE.flatMap(([src, dst]) => {
        const built = nativeFor({ repo, cache, arch, src, log });
        return built ? [[built, dst]] : [];
      });
      return [
        {
          name: `debian ${SUITE}: libc, libstdc++, journalctl, env and what they load`,
          fill(rootfs) {
            baseFiles(rootfs);
            const outside = [node, ...native.map(([src]) => join(repo, src))];
            copyClosure({ tree, rootfs, arch, programs: ['/bin/journalctl', '/usr/bin/env'], outside });
          },
        },
        { name: `node ${nodeVersion} (npm package node-linux-${NODE_ARCH[arch]})`, fill: (rootfs) => place(rootfs, '/usr/local/bin/node', node) },
        {
          name: `seccomp-agent ${pkg.version}`,
          fill(rootfs) {
            for (const [src, dst] of [...AGENT_FILES, ...native]) place(rootfs, dst, join(repo, src));
            symlinkSync('/app/agent/bin/seccomp-agent.js', join(rootfs, 'usr/local/bin/seccomp-agent'));
          },
        },
      ];
    },
  };
}

/** busybox-static with every applet linked in /bin, from Debian's busybox-static. */
function busyboxLayers({ cache, log }) {
  return (arch) => {
    const tree = debianTree({ cache, suite: SUITE, arch, packages: ['busybox-static'], log });
    return [
      {
        name: `debian ${SUITE}: busybox-static`,
        fill(rootfs) {
          baseFiles(rootfs);
          place(rootfs, '/bin/busybox', join(tree, 'bin/busybox'));
          // The applet list is the same on every architecture: read it from the host's copy when the
          // image's cannot run here.
          const lister = arch === 'amd64' ? join(tree, 'bin/busybox') : '/bin/busybox';
          for (const applet of execFileSync(lister, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
            if (applet !== 'busybox') symlinkSync('busybox', join(rootfs, 'bin', applet));
          }
        },
      },
    ];
  };
}

export function busyboxTarget(ctx) {
  return {
    file: 'busybox',
    name: 'localhost/kubectl-seccomp/busybox:test',
    platforms: ['amd64'],
    config: { cmd: ['/bin/sh'], env: { PATH: PATH_ENV } },
    layers: busyboxLayers(ctx),
  };
}

/** The pod sandbox ("pause") image: a process that only waits. */
export function pauseTarget(ctx) {
  return {
    file: 'pause',
    name: 'localhost/kubectl-seccomp/pause:test',
    platforms: ['amd64'],
    config: { entrypoint: ['/bin/sleep', 'infinity'], env: { PATH: PATH_ENV } },
    layers: busyboxLayers(ctx),
  };
}

export const TARGETS = { agent: agentTarget, busybox: busyboxTarget, pause: pauseTarget };
