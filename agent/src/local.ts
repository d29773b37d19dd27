import type { AgentApi } from '@kubectl-seccomp/proto';
import { defaultProfileDir } from './checks/index.js';
import type { SourceName } from './config.js';
import { silentLogger, type Logger } from './log.js';
import { AgentService, type ViolationFeed } from './service.js';
import { ProfileStore } from './store/index.js';
import { AGENT_VERSION } from './version.js';
import { ViolationPipeline } from './violations/index.js';
import { resolveSources } from './violations/sources/index.js';
import { startProcessTracking, type ProcessTracking } from './violations/capture/index.js';
import { hostname } from 'node:os';

export interface LocalAgentOptions {
  /** Default "/": this machine. */
  hostRoot?: string;
  /** Default: the kubelet's seccomp dir on this machine (/var/lib/kubelet/seccomp without a kubelet). */
  profileDir?: string;
  /** Default: the hostname. */
  nodeName?: string;
  sources?: 'auto' | SourceName[];
  log?: Logger;
}

export interface LocalAgent extends AgentApi {
  close(): Promise<void>;
}

/**
 * The agent's own code, in-process, against this machine: what `--local` runs. Violation sources
 * start on the first watch only, so doctor and push never open /dev/kmsg or spawn journalctl.
 */
export async function createLocalAgent(opts: LocalAgentOptions = {}): Promise<LocalAgent> {
  const hostRoot = opts.hostRoot ?? '/';
  const log = opts.log ?? silentLogger;
  const nodeName = opts.nodeName ?? hostname();
  const profileDir = opts.profileDir ?? (await defaultProfileDir(hostRoot));
  const env = { hostRoot, profileDir, nodeName, agentVersion: AGENT_VERSION };
  const store = new ProfileStore({ root: profileDir, log });
  let started: Promise<ViolationPipeline> | undefined;
  let tracker: ProcessTracking | undefined;
  const violations: ViolationFeed = {
    async *watch(req, signal) {
      started ??= (async () => {
        const { sources } = await resolveSources(hostRoot, opts.sources ?? 'auto', { logger: log });
        const { tracking } = await startProcessTracking({ hostRoot, mode: 'auto', log });
        tracker = tracking;
        const pipeline = new ViolationPipeline({ nodeName, hostRoot, sources, log, ...(tracking ? { processes: tracking } : {}) });
        // The first watcher's --since decides how far back the sources replay.
        await pipeline.start({ sinceUnixMs: req.sinceUnixMs });
        return pipeline;
      })();
      yield* (await started).watch(req, signal);
    },
  };
  const service = new AgentService({ env, store, violations });
  return {
    doctor: (o) => service.doctor(o),
    listProfiles: (o) => service.listProfiles(o),
    syncProfiles: (r, o) => service.syncProfiles(r, o),
    watchViolations: (r, o) => service.watchViolations(r, o),
    version: (o) => service.version(o),
    close: async () => {
      if (started) await (await started).stop();
      await tracker?.stop();
    },
  };
}
