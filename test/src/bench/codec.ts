import { agentService, seccomp, type WatchEvent } from '@kubectl-seccomp/proto';
import { figure, fmt, type BenchResult } from './result.js';
import { median, nowMs } from './stats.js';

const ROUNDS = 7;
const PER_ROUND = 200_000;

/** The watch stream's message, as a kmsg record of a real container makes it (every field set). */
const EVENT: WatchEvent = {
  kind: 'violation',
  violation: {
    node: 'worker-1',
    namespace: 'default',
    pod: 'web-7d4b9c6f5-x2x9k',
    container: 'nginx',
    containerId: 'containerd://3f1c9e0b2a7d4e6f8a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6b7',
    podUid: '0f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0',
    pid: 48213,
    comm: 'nginx',
    exe: '/usr/sbin/nginx',
    arch: 'SCMP_ARCH_X86_64',
    auditArch: 0xc000003e,
    syscallNr: 83,
    syscall: 'mkdir',
    action: 'SCMP_ACT_LOG',
    code: 0x7ffc0000,
    errno: 0,
    source: 'kmsg',
    auditId: '1795369472.866:4711',
    timeUnixMs: 1_795_369_472_866,
    compat: false,
    uid: 101,
    gid: 101,
    emittedUnixMs: 1_795_369_472_870,
  },
};

/** Median messages per second of `f` over ROUNDS rounds, after one round to warm the JIT. */
function rate(f: () => unknown): number {
  const perSecond: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const start = nowMs();
    for (let i = 0; i < PER_ROUND; i++) f();
    if (round > 0) perSecond.push(PER_ROUND / ((nowMs() - start) / 1000));
  }
  return median(perSecond);
}

/**
 * The proto package's codec on the watch stream's message: what each event costs the agent (encode)
 * and the CLI (decode). Baseline in the same run: protobufjs alone on the same bytes (its decode to
 * its message class, its encode of the wire object), so the ratio holds on a noisy machine.
 */
export async function codecBench(): Promise<BenchResult> {
  const { responseSerialize: encode, responseDeserialize: decode } = agentService.watchViolations;
  const pb = seccomp.agent.v1.WatchEvent;
  const bytes = encode(EVENT);
  const wire = pb.decode(bytes);
  const codec = { encode: rate(() => encode(EVENT)), decode: rate(() => decode(bytes)) };
  const bare = { encode: rate(() => pb.encode(wire).finish()), decode: rate(() => pb.decode(bytes)) };
  const pct = (a: number, b: number): string => `${fmt((a / b) * 100)}%`;
  const figures = [
    figure('WatchEvent(Violation) size', `${fmt(bytes.length)} B`),
    figure('encode', `${fmt(codec.encode)} msg/s (${pct(codec.encode, bare.encode)} of protobufjs alone: ${fmt(bare.encode)})`),
    figure('decode', `${fmt(codec.decode)} msg/s (${pct(codec.decode, bare.decode)} of protobufjs alone: ${fmt(bare.decode)})`),
  ];
  return {
    name: 'codec',
    title: 'Proto codec: the watch stream message',
    figures,
    notes: [
      `How: agentService.watchViolations' own serializer and deserializer (what grpc-js calls per event) on one Violation event with every field set, in this process; ${ROUNDS} rounds of ${fmt(PER_ROUND)} after a warm-up round, the median round. protobufjs alone: the generated WatchEvent.encode/decode on the same message, without the conversion to and from the API types.`,
    ],
  };
}
