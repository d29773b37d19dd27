#!/usr/bin/env node
// Regenerates profiles/catalog/seccomp-agent.json from what the agent really calls: runs the real
// agent (and the journalctl it spawns) under `strace -f -c`, drives it with the real CLI (doctor,
// push dry-run and real, watch, health and metrics), and writes every syscall seen as the allow list
// of a default-ERRNO profile. Needs strace and a built tree (`npm run build`). Run as root, as the
// agent runs in its pod, so the same code paths are taken:
//   node scripts/record-agent-profile.mjs
import { spawn, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'profiles/catalog/seccomp-agent.json');

// What runc itself still calls after it has loaded the filter and before the agent's execve
// (docker's and SPO's recordings agree on these): missing one, the container never starts.
const RUNTIME_START = [
  'capget',
  'capset',
  'chdir',
  'close',
  'execve',
  'exit_group',
  'fchdir',
  'fchown',
  'fcntl',
  'fstat',
  'fstatfs',
  'futex',
  'getdents64',
  'getpid',
  'getppid',
  'newfstatat',
  'openat',
  'prctl',
  'read',
  'rt_sigaction',
  'rt_sigprocmask',
  'rt_sigreturn',
  'setgid',
  'setgroups',
  'setuid',
  'write',
];

// The recording is taken on x86_64; arm64 has no legacy path calls, and glibc/libuv reach the same
// code through these (e.g. mkdir -> mkdirat). Each recorded name brings its arm64 equivalents.
const ARM64_EQUIVALENTS = {
  access: ['faccessat', 'faccessat2'],
  dup2: ['dup3'],
  epoll_wait: ['epoll_pwait'],
  getdents: ['getdents64'],
  mkdir: ['mkdirat'],
  open: ['openat'],
  pipe: ['pipe2'],
  poll: ['ppoll'],
  readlink: ['readlinkat'],
  rename: ['renameat', 'renameat2'],
  rmdir: ['unlinkat'],
  stat: ['newfstatat'],
  lstat: ['newfstatat'],
  unlink: ['unlinkat'],
};

// The recording runs with --kube off (no cluster here); in a pod the agent also talks TLS to the API
// server through the same sockets, and may resolve names: the datagram calls glibc's resolver uses.
const KUBE_CLIENT = ['recvfrom', 'recvmsg', 'sendmmsg', 'sendmsg', 'sendto'];

// Calls a recording can miss (seen in one run, or only with the agent in its pod: the LOG-mode run in
// test/src/containerd/agent-daemonset.test.ts): a thread that ends calls exit(2), V8 yields under contention.
const SOMETIMES = ['exit', 'sched_yield'];

async function freePort() {
  const srv = createServer();
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** Runs one CLI command against the agent; stopped after a minute so a hang cannot stall the recording. */
function cli(args) {
  process.stderr.write(`kubectl-seccomp ${args.join(' ')}\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'cli/bin/run.js'), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGTERM'), 60_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

async function waitFor(url) {
  process.stderr.write(`waiting for ${url}\n`);
  for (let i = 0; i < 100; i++) {
    try {
      if ((await globalThis.fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`agent did not become ready at ${url}`);
}

/** Syscall names from `strace -c` output (the last column of each table row). */
export function syscallsFromSummary(text) {
  const names = new Set();
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/);
    const name = cols.at(-1);
    if (cols.length >= 5 && /^\d/.test(cols[0]) && name && /^[a-z_][a-z0-9_]*$/.test(name) && name !== 'total') names.add(name);
  }
  return names;
}

/** The Node the image ships (.node-version, scripts/install-node.sh): its libuv decides calls such as io_uring_*. */
function imageNode() {
  return execFileSync(join(root, 'scripts/install-node.sh'), { encoding: 'utf8' }).trim();
}

async function main() {
  execFileSync('strace', ['-V'], { stdio: 'ignore' });
  const tmp = await mkdtemp(join(tmpdir(), 'record-agent-'));
  try {
    const grpc = await freePort();
    const health = await freePort();
    const metrics = await freePort();
    const summary = join(tmp, 'strace.txt');
    const agent = spawn(
      'strace',
      [
        '-f',
        '-c',
        '-qq',
        '-o',
        summary,
        imageNode(),
        join(root, 'agent/bin/seccomp-agent.js'),
        '--host-root',
        '/',
        '--listen',
        `127.0.0.1:${grpc}`,
        '--health-listen',
        `127.0.0.1:${health}`,
        '--metrics-listen',
        `127.0.0.1:${metrics}`,
        '--kube',
        'off',
        '--profile-dir',
        join(tmp, 'profiles'),
        '--log-level',
        'warn',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    await waitFor(`http://127.0.0.1:${health}/readyz`);
    await globalThis.fetch(`http://127.0.0.1:${health}/healthz`);
    await globalThis.fetch(`http://127.0.0.1:${metrics}/metrics`);
    const target = ['--agent', `127.0.0.1:${grpc}`];
    await cli(['doctor', ...target, '-o', 'json']);
    await cli(['push', ...target, '--dry-run', '-o', 'json']);
    await cli(['push', ...target, '-o', 'json']);
    await cli(['push', ...target, '--prune', '-o', 'json', join(root, 'profiles/catalog/deny-mkdir.json')]);
    await cli(['watch', ...target, '-o', 'json', '--since', '10m', '--duration', '3s', '--stats']);
    // SIGTERM to the agent itself (strace's child), so it shuts down as the kubelet would stop it.
    const agentPid = Number(
      execFileSync('pgrep', ['-P', String(agent.pid)], { encoding: 'utf8' })
        .trim()
        .split('\n')[0],
    );
    process.kill(agentPid, 'SIGTERM');
    await new Promise((resolve) => agent.on('exit', resolve));
    const seen = syscallsFromSummary(await readFile(summary, 'utf8'));
    if (seen.size < 20) throw new Error(`strace saw only ${seen.size} syscalls: did the agent run?`);
    const arm64 = [...seen].flatMap((name) => ARM64_EQUIVALENTS[name] ?? []);
    const names = [...new Set([...seen, ...arm64, ...RUNTIME_START, ...KUBE_CLIENT, ...SOMETIMES])].sort();
    const profile = {
      defaultAction: 'SCMP_ACT_ERRNO',
      defaultErrnoRet: 1,
      architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_AARCH64'],
      flags: ['SECCOMP_FILTER_FLAG_LOG'],
      syscalls: [{ names, action: 'SCMP_ACT_ALLOW' }],
    };
    await writeFile(out, `${JSON.stringify(profile, null, 2)}\n`);
    process.stderr.write(`wrote ${out}: ${names.length} syscalls (${seen.size} seen under strace)\n`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
