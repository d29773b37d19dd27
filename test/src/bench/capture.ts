import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findCaptureHelper } from '@kubectl-seccomp/agent';
import { startAgentProcess, type AgentProcess } from '../harness/agent-process.js';
import { runcAvailable, startContainer } from '../harness/runc.js';
import { processCpuMs } from './cli-process.js';
import { figure, fmt, fmtBytes, fmtMs, type BenchResult } from './result.js';
import { nowMs, percentile } from './stats.js';
import { sysctl, WatchClient, writeSysctl } from './storm.js';

/** rmdir of paths that do not exist: a LOGged call no other test makes, from a short-lived busybox process each time. */
const SYSCALL = 'rmdir';
const PROFILE = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: [SYSCALL], action: 'SCMP_ACT_LOG' }] };
const CALLS_PER_PROCESS = 5;
const PROCESSES_PER_LINE = 2;
const SECONDS = 10;
const FORKS = 5_000;

/** The agent's helpers (seccomp-capture procs/audit) are its children. */
async function withChildren(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return [pid, ...text.split(' ').filter(Boolean).map(Number)];
}

async function cpuMs(pid: number): Promise<number> {
  return (await withChildren(pid)).reduce((sum, p) => sum + (processCpuMs(p) ?? 0), 0);
}

async function rssBytes(pid: number): Promise<number> {
  let total = 0;
  for (const p of await withChildren(pid)) {
    const status = await readFile(`/proc/${p}/status`, 'utf8').catch(() => '');
    total += Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
  }
  return total;
}

/** ~1,000 records/s, each from a process that exits at once: the bench writes a line every 10 ms. */
async function shortLivedPhase(agent: AgentProcess): Promise<BenchResult['figures']> {
  const watch = new WatchClient(agent.address, SYSCALL);
  const args = (base: number): string => Array.from({ length: CALLS_PER_PROCESS }, (_, i) => `/nx/${base + i}`).join(' ');
  const body = Array.from({ length: PROCESSES_PER_LINE }, (_, p) => `rmdir ${args(p * CALLS_PER_PROCESS)} 2>/dev/null`).join('; ');
  const c = await startContainer({ profile: PROFILE, args: ['/bin/sh', '-c', `while read x; do [ "$x" = quit ] && exit 0; ${body}; done`] });
  try {
    await watch.ready();
    const statsBefore = { ...watch.stats };
    const cpuBefore = await cpuMs(agent.pid);
    const startMs = Date.now();
    let lines = 0;
    let next = Date.now();
    let rssMax = 0;
    while (Date.now() < startMs + SECONDS * 1000) {
      c.send('x\n');
      lines++;
      if (lines % 100 === 0) rssMax = Math.max(rssMax, await rssBytes(agent.pid));
      next += 10;
      await sleep(Math.max(0, next - Date.now()));
    }
    c.send('quit\n');
    await c.exited;
    const endMs = Date.now();
    await watch.settle();
    const cpu = (await cpuMs(agent.pid)) - cpuBefore;
    const calls = lines * PROCESSES_PER_LINE * CALLS_PER_PROCESS;
    const events = watch.violations.filter((v) => v.kernelMs >= startMs - 1000 && v.kernelMs <= endMs + 1000);
    const named = events.filter((v) => v.containerId === c.id);
    const latencies = events.map((e) => e.at - e.kernelMs);
    const seconds = (endMs - startMs) / 1000;
    return [
      figure(
        'short-lived: records produced',
        `${fmt(calls)} in ${fmt(seconds, 1)} s = ${fmt(calls / seconds)}/s, from ${fmt(lines * PROCESSES_PER_LINE)} processes`,
      ),
      figure('short-lived: captured (delivered to watch -o json)', `${fmt(events.length)} (${fmt((100 * events.length) / calls, 1)}%)`, {
        text: '>= 99%',
        met: events.length >= 0.99 * calls,
      }),
      figure(
        'short-lived: losses reported (kernel / dropped for the client)',
        `${fmt(watch.stats.lost - statsBefore.lost)} / ${fmt(watch.stats.dropped - statsBefore.dropped)}`,
      ),
      figure('short-lived: attributed (right containerId)', `${fmt(named.length)} (${fmt((100 * named.length) / calls, 1)}% of records)`, {
        text: '>= 99%',
        met: named.length >= 0.99 * calls,
      }),
      figure('short-lived: latency p50, kernel stamp to CLI', fmtMs(percentile(latencies, 50))),
      figure('short-lived: latency p99, kernel stamp to CLI', fmtMs(percentile(latencies, 99)), { text: '< 50 ms', met: percentile(latencies, 99) < 50 }),
      figure('short-lived: agent + helpers CPU', `${fmt((cpu / 1000 / seconds) * 100)}% of one core`),
      figure('short-lived: agent + helpers RSS (max, sampled every second)', fmtBytes(rssMax)),
    ];
  } finally {
    await watch.stop();
    await c.stop();
  }
}

/** A host shell forking /bin/true as fast as it can: what process tracking costs on a fork-heavy node. */
async function forkPhase(agent: AgentProcess): Promise<BenchResult['figures']> {
  const cpuBefore = await cpuMs(agent.pid);
  const start = nowMs();
  const child = spawn('/bin/sh', ['-c', `i=0; while [ $i -lt ${FORKS} ]; do /bin/true; i=$((i+1)); done`], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('close', resolve));
  const seconds = (nowMs() - start) / 1000;
  // Let the agent read what is still in the ring buffer.
  await sleep(1000);
  const cpu = (await cpuMs(agent.pid)) - cpuBefore;
  return [
    figure("fork-heavy: processes forked and exec'd", `${fmt(FORKS)} in ${fmt(seconds, 1)} s = ${fmt(FORKS / seconds)}/s`),
    figure('fork-heavy: agent + helpers CPU with process tracking', `${fmt((cpu / 1000 / seconds) * 100)}% of one core`),
  ];
}

export async function captureBench(): Promise<BenchResult> {
  const base: BenchResult = { name: 'capture', title: 'Kernel-side capture (audit multicast group, BPF process tracking)', figures: [], notes: [] };
  const why = (await runcAvailable()) ?? ((await findCaptureHelper()) ? undefined : 'seccomp-capture is not built');
  if (why) return { ...base, skipped: why };
  const dir = await mkdtemp(join(tmpdir(), 'bench-capture-'));
  const before = [await sysctl('kernel.printk_ratelimit'), await sysctl('kernel.printk_ratelimit_burst')] as const;
  let agent: AgentProcess | undefined;
  try {
    await writeSysctl('kernel.printk_ratelimit', '5');
    await writeSysctl('kernel.printk_ratelimit_burst', '10');
    agent = await startAgentProcess(['--host-root', '/', '--profile-dir', dir, '--kube', 'off', '--node-name', 'bench']);
    await sleep(1000);
    const rssIdle = await rssBytes(agent.pid);
    const figures = [figure('agent + helpers RSS idle', fmtBytes(rssIdle)), ...(await shortLivedPhase(agent)), ...(await forkPhase(agent))];
    const notes = [
      `How: the real agent process in its default mode (\`seccomp-agent --host-root / --kube off\`: --sources auto picks the audit multicast group, --process-tracking auto runs seccomp-capture procs) and the real CLI (\`kubectl-seccomp watch -o json --stats --syscall ${SYSCALL}\`) over loopback gRPC, at the kernel's default printk limits (5 s, burst 10). Short-lived: a busybox container under runc whose profile LOGs ${SYSCALL}; every 10 ms the bench writes a line and the container runs ${PROCESSES_PER_LINE} busybox \`rmdir\` processes of ${CALLS_PER_PROCESS} missing paths each (each path one LOGged call), for ${SECONDS} s. Attributed: the violation names the container's ID although its process had exited. Latency: the record's audit stamp to the CLI's JSON line. CPU and RSS: the agent and its seccomp-capture children. Fork-heavy: a host shell runs /bin/true ${fmt(FORKS)} times. The machine ran other engineers' tests at the same time.`,
    ];
    return { ...base, figures, notes };
  } finally {
    await agent?.stop();
    await writeSysctl('kernel.printk_ratelimit', before[0]).catch(() => undefined);
    await writeSysctl('kernel.printk_ratelimit_burst', before[1]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}
