import type { Violation } from '@kubectl-seccomp/proto';
import { actionFromCode, archFromRecord, syscallName, type DecodedCode, type ScmpArch } from '@kubectl-seccomp/profiles';
import type { CgroupIdentity } from '../host/cgroup.js';
import type { PodResolver } from './pod-resolver.js';
import type { SeccompRecord } from './record.js';
import type { SigsysDeaths } from './sigsys-deaths.js';

/** The syscall tables and code decoding of @kubectl-seccomp/profiles; replaceable in tests. */
export interface SyscallNaming {
  /** The record's arch; x32 calls (x86_64 audit arch, syscall bit 0x40000000) are SCMP_ARCH_X32. */
  archFromRecord(auditArch: number, syscallNr: number): { scmp: ScmpArch } | undefined;
  syscallName(arch: ScmpArch, nr: number): string | undefined;
  actionFromCode(code: number): DecodedCode;
}

export const profilesNaming: SyscallNaming = { archFromRecord, syscallName, actionFromCode };

export interface ProcessLookup {
  /** `timeUnixMs`: the record's stamp, to tell a pid's holders apart where the lookup keeps history. */
  identify(pid: number, timeUnixMs?: number): CgroupIdentity | undefined;
  /** Runs `fn`, whose lookups are all for records received before this call (see ProcessIdentities.batch). */
  batch?<T>(fn: () => T): T;
  /** Resolves once what is known about these pids is up to date (undefined: it already is). */
  settle?(pids: readonly number[]): Promise<void> | undefined;
  /** Whether the process is known to have run outside any container (so no pod status will name it). */
  isHostProcess?(pid: number, timeUnixMs: number): boolean;
}

export interface EnricherOptions {
  nodeName: string;
  processes: ProcessLookup;
  pods: PodResolver;
  naming?: SyscallNaming;
  now?: () => number;
  /** Containers that died of SIGSYS (pod statuses): names a KILL record whose process is gone. */
  deaths?: SigsysDeaths | undefined;
  /** How long a KILL record nothing names waits for its container's death to be reported. Default 5 s. */
  deathWaitMs?: number;
}

const KILL_ACTIONS = new Set(['SCMP_ACT_KILL_PROCESS', 'SCMP_ACT_KILL_THREAD']);

/** A record -> the violation a user reads: names for arch, syscall and action; container, pod. */
export class Enricher {
  private readonly naming: SyscallNaming;
  private readonly now: () => number;

  constructor(private readonly opts: EnricherOptions) {
    this.naming = opts.naming ?? profilesNaming;
    this.now = opts.now ?? Date.now;
  }

  /** Runs `fn`, whose enrich() calls are all for records received before this call. */
  batch<T>(fn: () => T): T {
    return this.opts.processes.batch ? this.opts.processes.batch(fn) : fn();
  }

  /** undefined, or a promise to wait for before enriching these records (ProcessLookup.settle). */
  settle(records: readonly SeccompRecord[]): Promise<void> | undefined {
    const processes = this.opts.processes.settle?.(records.map((r) => r.pid));
    const deaths = this.opts.deaths;
    if (!deaths) return processes;
    const unnamedKills = (): SeccompRecord[] =>
      records.filter(
        (r) =>
          KILL_ACTIONS.has(this.naming.actionFromCode(r.code).action) &&
          !this.opts.processes.identify(r.pid, r.timeUnixMs) &&
          !this.opts.processes.isHostProcess?.(r.pid, r.timeUnixMs),
      );
    const waitDeaths = async (): Promise<void> => {
      await Promise.all(unnamedKills().map((r) => deaths.waitFor(r.timeUnixMs, this.opts.deathWaitMs ?? 5000)));
    };
    if (processes) return processes.then(waitDeaths);
    return unnamedKills().length > 0 ? waitDeaths() : undefined;
  }

  enrich(record: SeccompRecord): Violation {
    const { arch, syscall } = this.name(record);
    const decoded = this.naming.actionFromCode(record.code);
    const identity =
      this.opts.processes.identify(record.pid, record.timeUnixMs) ??
      (KILL_ACTIONS.has(decoded.action) ? this.opts.deaths?.match(record.timeUnixMs) : undefined);
    const names = identity ? this.opts.pods.lookup(identity.podUid, identity.containerId) : undefined;
    return {
      node: this.opts.nodeName,
      namespace: names?.namespace ?? '',
      pod: names?.pod ?? '',
      container: names?.container ?? '',
      containerId: identity?.containerId ?? '',
      podUid: identity?.podUid ?? '',
      pid: record.pid,
      comm: record.comm,
      exe: record.exe,
      arch,
      auditArch: record.auditArch,
      syscallNr: record.syscallNr,
      syscall,
      action: decoded.action,
      code: record.code,
      errno: decoded.errno ?? 0,
      source: record.source,
      auditId: record.auditId,
      timeUnixMs: record.timeUnixMs,
      compat: record.compat,
      uid: record.uid,
      gid: record.gid,
      emittedUnixMs: this.now(),
    };
  }

  /** Resolved with the record's arch, not the node's: i386 39 is mkdir, x86_64 39 is getpid. */
  private name(record: SeccompRecord): { arch: string; syscall: string } {
    const info = this.naming.archFromRecord(record.auditArch, record.syscallNr);
    if (!info) return { arch: '', syscall: record.syscallHint ?? '' };
    return { arch: info.scmp, syscall: this.naming.syscallName(info.scmp, record.syscallNr) ?? record.syscallHint ?? '' };
  }
}
