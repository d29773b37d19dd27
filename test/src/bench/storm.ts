import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { access, constants, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StatsRecord } from '@kubectl-seccomp/cli';
import { startAgentProcess, type AgentProcess } from '../harness/agent-process.js';
import { daemonSetNodeOptions } from '../harness/daemonset-env.js';
import { node, pod, TestApiServer } from '../harness/apiserver/index.js';
import { runContainer, runcAvailable, startContainer, type RunningContainer } from '../harness/runc.js';
import { CLI_BIN, processCpuMs } from './cli-process.js';
import { figure, fmt, fmtBytes, fmtMs, type BenchResult, type Figure } from './result.js';
import { percentile } from './stats.js';

/**
 * The syscall the container's profile LOGs. chdir is what busybox sh's `cd` builtin calls, so the
 * loop runs without a fork per call, and nothing else on the machine (other tests LOG mkdir) is
 * counted: the CLI watches this syscall only.
 */
const SYSCALL = 'chdir';
const PROFILE = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: [SYSCALL], action: 'SCMP_ACT_LOG' }] };
const PACED_RATE = 1000;
const PACED_SECONDS = 10;
/** Calls per line the bench writes to the paced container: 10 lines per 10 ms make ~1,000 calls/s. */
const CALLS_PER_LINE = 10;
const STORM_CALLS = 50_000;
const RATELIMIT = 'kernel.printk_ratelimit';
const LATENCY_TARGET_MS = 250;
const RSS_TARGET_BYTES = 100 * 1024 * 1024;

export interface Received {
  at: number;
  kernelMs: number;
  containerId: string;
}

type StatsLine = Pick<StatsRecord, 'seen' | 'dropped' | 'lost'>;

/** `kubectl-seccomp watch -o json --stats` against one agent; every line timed on arrival. */
export class WatchClient {
  readonly violations: Received[] = [];
  stats: StatsLine = { seen: 0, dropped: 0, lost: 0 };
  private readonly child: ChildProcess;
  private readonly connected: Promise<void>;
  private readonly closed: Promise<void>;
  stderr = '';

  constructor(address: string, syscall = SYSCALL) {
    this.child = spawn(process.execPath, [CLI_BIN, 'watch', '-o', 'json', '--stats', '--syscall', syscall, '--agent', `bench=${address}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stderr!.on('data', (c: Buffer) => (this.stderr = (this.stderr + c.toString('utf8')).slice(-4000)));
    this.closed = new Promise((resolve) => this.child.on('close', () => resolve()));
    this.connected = new Promise((resolve, reject) => {
      createInterface({ input: this.child.stdout! }).on('line', (line) => {
        const at = Date.now();
        const event = JSON.parse(line) as { kind: string; timeUnixMs?: number; containerId?: string } & Partial<StatsLine>;
        if (event.kind === 'violation' && typeof event.timeUnixMs === 'number')
          this.violations.push({ at, kernelMs: event.timeUnixMs, containerId: event.containerId ?? '' });
        else if (event.kind === 'stats') {
          this.stats = { seen: event.seen ?? 0, dropped: event.dropped ?? 0, lost: event.lost ?? 0 };
          resolve();
        }
      });
      void this.closed.then(() => reject(new Error(`watch exited before streaming: ${this.stderr}`)));
    });
  }

  ready(): Promise<void> {
    return this.connected;
  }

  /** Resolves once nothing new has arrived for quietMs. */
  async settle(quietMs = 1500): Promise<void> {
    let count = -1;
    while (count !== this.violations.length) {
      count = this.violations.length;
      await sleep(quietMs);
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.closed;
    clearTimeout(timer);
  }
}

/** Anonymous resident memory (heap, stacks): what a cgroup limit cannot reclaim, unlike the mapped node binary. */
export async function anonRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^RssAnon:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) * 1024;
}

class RssSampler {
  max = 0;
  maxAnon = 0;
  private readonly timer: NodeJS.Timeout;
  constructor(agent: AgentProcess) {
    this.timer = setInterval(() => {
      agent.rss().then(
        (r) => (this.max = Math.max(this.max, r)),
        () => undefined,
      );
      anonRss(agent.pid).then(
        (r) => (this.maxAnon = Math.max(this.maxAnon, r)),
        () => undefined,
      );
    }, 200);
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

interface Phase {
  startMs: number;
  endMs: number;
  calls: number;
  statsBefore: StatsLine;
  statsAfter: StatsLine;
  events: Received[];
  agentCpuMs: number;
}

const containerFor = (script: string): Promise<RunningContainer> => startContainer({ profile: PROFILE, args: ['/bin/sh', '-c', script] });

/**
 * The kernel says how many records it suppressed only when it prints the next one after its rate
 * limit window: one more call after the window makes the count of the phase appear.
 */
async function flushSuppressed(): Promise<number> {
  const seconds = Number(await sysctl('kernel.printk_ratelimit'));
  if (!(seconds > 0)) return 0;
  await sleep(seconds * 1000 + 500);
  await runContainer({ profile: PROFILE, args: ['/bin/sh', '-c', 'cd /'] });
  return 1;
}

async function runPhase(watch: WatchClient, agent: AgentProcess, drive: () => Promise<number>): Promise<Phase> {
  const statsBefore = { ...watch.stats };
  const cpuBefore = processCpuMs(agent.pid) ?? 0;
  const startMs = Date.now();
  const calls = await drive();
  const endMs = Date.now();
  const flushed = await flushSuppressed();
  await watch.settle();
  const agentCpuMs = (processCpuMs(agent.pid) ?? 0) - cpuBefore;
  const events = watch.violations.filter((v) => v.kernelMs >= startMs - 1000 && v.kernelMs <= endMs + 1000);
  return { startMs, endMs, calls: calls + flushed, statsBefore, statsAfter: { ...watch.stats }, events, agentCpuMs };
}

/** ~PACED_RATE calls/s: the bench writes a line every 10 ms, the container makes CALLS_PER_LINE calls per line. */
async function pacedPhase(watch: WatchClient, agent: AgentProcess): Promise<Phase> {
  const body = Array.from({ length: CALLS_PER_LINE }, () => 'cd /').join('; ');
  const perTick = Math.max(1, Math.round(PACED_RATE / 100 / CALLS_PER_LINE));
  const c = await containerFor(`while read x; do [ "$x" = quit ] && exit 0; ${body}; done`);
  try {
    return await runPhase(watch, agent, async () => {
      let lines = 0;
      const end = Date.now() + PACED_SECONDS * 1000;
      let next = Date.now();
      while (Date.now() < end) {
        c.send('x\n'.repeat(perTick));
        lines += perTick;
        next += 10;
        await sleep(Math.max(0, next - Date.now()));
      }
      c.send('quit\n');
      await c.exited;
      return lines * CALLS_PER_LINE;
    });
  } finally {
    await c.stop();
  }
}

/** As fast as the shell can loop: what the kernel and the agent do with a real storm. */
async function stormPhase(watch: WatchClient, agent: AgentProcess, calls: number): Promise<Phase> {
  const c = await containerFor(`read x; i=0; while [ $i -lt ${calls} ]; do cd /; i=$((i+1)); done`);
  try {
    return await runPhase(watch, agent, async () => {
      c.send('go\n');
      await Promise.race([c.exited, sleep(60_000)]);
      return calls;
    });
  } finally {
    await c.stop();
  }
}

function phaseFigures(label: string, p: Phase, withTargets: boolean): Figure[] {
  const seconds = (p.endMs - p.startMs) / 1000;
  const latencies = p.events.map((e) => e.at - e.kernelMs);
  const p99 = percentile(latencies, 99);
  const lost = p.statsAfter.lost - p.statsBefore.lost;
  const dropped = p.statsAfter.dropped - p.statsBefore.dropped;
  const cpu = p.agentCpuMs / 1000 / seconds;
  return [
    figure(`${label}: calls (kernel records produced)`, `${fmt(p.calls)} in ${fmt(seconds, 1)} s = ${fmt(p.calls / seconds)}/s`),
    figure(
      `${label}: events delivered to watch -o json`,
      `${fmt(p.events.length)} = ${fmt(p.events.length / seconds)}/s (${fmt((100 * p.events.length) / p.calls, 1)}% of calls)`,
    ),
    figure(`${label}: losses reported (kernel-suppressed / dropped for the client)`, `${fmt(lost)} / ${fmt(dropped)}`),
    figure(`${label}: unaccounted (neither delivered nor reported lost)`, fmt(Math.max(0, p.calls - p.events.length - lost - dropped))),
    figure(`${label}: latency p50, kernel stamp to CLI`, fmtMs(percentile(latencies, 50))),
    figure(
      `${label}: latency p99, kernel stamp to CLI`,
      fmtMs(p99),
      withTargets ? { text: `< ${LATENCY_TARGET_MS} ms at ~1,000 events/s`, met: p99 < LATENCY_TARGET_MS } : undefined,
    ),
    figure(`${label}: agent CPU`, `${fmt(cpu * 100)}% of one core`),
  ];
}

/** The baseline for memory: an idle node process on this machine. */
async function idleNodeRss(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  try {
    await sleep(1000);
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) * 1024;
  } finally {
    child.kill('SIGKILL');
  }
}

const PODS_PER_NODE = 110;

/**
 * The agent as it runs in a cluster (`--kube auto`: pod informer for its node, profile ConfigMaps)
 * against the test API server holding a full node's worth of pods (the kubelet's default max).
 */
async function kubeAgentRss(profileDir: string): Promise<number> {
  const api = await TestApiServer.start();
  let agent: AgentProcess | undefined;
  try {
    api.apply(node('bench'));
    for (let i = 0; i < PODS_PER_NODE; i++) {
      api.apply(
        pod(`app-${i}`, {
          node: 'bench',
          namespace: 'bench',
          uid: randomUUID(),
          containers: { app: randomBytes(32).toString('hex'), sidecar: randomBytes(32).toString('hex') },
        }),
      );
    }
    const kubeconfig = await api.writeKubeconfig({ namespace: 'kubectl-seccomp' });
    agent = await startAgentProcess([
      '--host-root',
      '/',
      '--profile-dir',
      profileDir,
      '--sources',
      'kmsg',
      '--kube',
      'auto',
      '--kubeconfig',
      kubeconfig,
      '--node-name',
      'bench',
    ]);
    await sleep(3000);
    return await agent.rss();
  } finally {
    await agent?.stop();
    await api.stop();
  }
}

export async function writeSysctl(name: string, value: string): Promise<void> {
  await writeFile(`/proc/sys/${name.replaceAll('.', '/')}`, `${value}\n`);
}

export async function sysctl(name: string): Promise<string> {
  return (await readFile(`/proc/sys/${name.replaceAll('.', '/')}`, 'utf8').catch(() => '?')).trim();
}

async function missing(): Promise<string | undefined> {
  const runc = await runcAvailable();
  if (runc) return runc;
  try {
    await access('/dev/kmsg', constants.R_OK);
  } catch {
    return '/dev/kmsg is not readable';
  }
  return undefined;
}

export async function stormBench(): Promise<BenchResult> {
  const base: BenchResult = { name: 'storm', title: 'Real kernel storm (runc container, LOG action)', figures: [], notes: [] };
  const why = await missing();
  if (why) return { ...base, skipped: why };
  const dir = await mkdtemp(join(tmpdir(), 'bench-storm-'));
  let agent: AgentProcess | undefined;
  let watch: WatchClient | undefined;
  let sampler: RssSampler | undefined;
  try {
    agent = await startAgentProcess([
      '--host-root',
      '/',
      '--profile-dir',
      dir,
      '--sources',
      'kmsg',
      '--kube',
      'off',
      '--node-name',
      'bench',
      '--log-level',
      'info',
    ]);
    await sleep(2000);
    const rssIdle = await agent.rss();
    const anonIdle = await anonRss(agent.pid);
    const nodeRss = await idleNodeRss();
    const rssKube = await kubeAgentRss(dir);
    watch = new WatchClient(agent.address);
    await watch.ready();
    sampler = new RssSampler(agent);
    const paced = await pacedPhase(watch, agent);
    const storm = await stormPhase(watch, agent, STORM_CALLS);
    // The same with the kernel's printk rate limit off, restored at once: what the agent does when the
    // kernel does not throttle (a node owner's choice, or auditd-less nodes tuned for it).
    const limit = await sysctl(RATELIMIT);
    let pacedOpen: Phase;
    let stormOpen: Phase;
    try {
      await writeSysctl(RATELIMIT, '0');
      pacedOpen = await pacedPhase(watch, agent);
      stormOpen = await stormPhase(watch, agent, STORM_CALLS);
    } finally {
      await writeSysctl(RATELIMIT, limit);
    }
    sampler.stop();
    const rssMax = Math.max(sampler.max, await agent.rss());
    const anonMax = Math.max(sampler.maxAnon, await anonRss(agent.pid));
    const figures = [
      ...phaseFigures(`default limits, paced ~${fmt(PACED_RATE)}/s`, paced, false),
      ...phaseFigures('default limits, unpaced storm', storm, false),
      ...phaseFigures(`printk_ratelimit=0, paced ~${fmt(PACED_RATE)}/s`, pacedOpen, true),
      ...phaseFigures('printk_ratelimit=0, unpaced storm', stormOpen, false),
      figure('agent RSS before (idle, sources open)', `${fmtBytes(rssIdle)} (${fmt(rssIdle / nodeRss, 1)}x an idle \`node\`, ${fmtBytes(nodeRss)})`),
      figure(`agent RSS idle with --kube (test API server, ${PODS_PER_NODE} pods on its node)`, fmtBytes(rssKube), {
        text: '< 100 MiB',
        met: rssKube < RSS_TARGET_BYTES,
      }),
      figure('agent RSS during (max, sampled every 200 ms)', fmtBytes(rssMax), { text: '< 100 MiB', met: rssMax < RSS_TARGET_BYTES }),
      figure('agent anonymous RSS (RssAnon) before / during (max)', `${fmtBytes(anonIdle)} / ${fmtBytes(anonMax)}`),
    ];
    const limits = `kernel.printk_ratelimit=${await sysctl('kernel.printk_ratelimit')}, kernel.printk_ratelimit_burst=${await sysctl('kernel.printk_ratelimit_burst')}`;
    const notes = [
      `How: the real agent process (\`seccomp-agent --sources kmsg --host-root / --kube off\`, the bundle the image ships, with the DaemonSet's NODE_OPTIONS \`${daemonSetNodeOptions()}\`) and the real CLI (\`kubectl-seccomp watch -o json --stats --syscall ${SYSCALL} --agent bench=127.0.0.1:PORT\`) over loopback gRPC; a busybox container under runc whose profile LOGs ${SYSCALL}, called by the shell's \`cd\` builtin (no fork per call). Paced: the bench writes a line every 10 ms, the container makes ${CALLS_PER_LINE} calls per line, for ${PACED_SECONDS} s. Storm: ${fmt(STORM_CALLS)} calls as fast as the shell loops. Each LOG hit is one audit record, so calls = records the kernel produced. Latency: the record's own audit stamp (SECONDS.MILLIS, taken at the syscall) to the moment the CLI's JSON line reaches the bench, same clock. Losses as the agent reports them in its stream stats (kernel "callbacks suppressed" and kmsg overruns; drops for a slow client). The machine ran other engineers' tests at the same time.`,
      `Kernel rate limiting in effect: ${limits}. Without auditd, kauditd prints each record with printk_ratelimit(): above the burst the kernel drops records and later logs \`kauditd_printk_skb: N callbacks suppressed\`, which the agent counts as lost. The figures are what a node with default limits delivers; raising the limits is the node owner's choice (doctor's log.rate-limit check says so).`,
    ];
    return { ...base, figures, notes };
  } finally {
    sampler?.stop();
    await watch?.stop();
    await agent?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
