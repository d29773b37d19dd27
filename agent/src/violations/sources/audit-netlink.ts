import type { Logger } from '../../log.js';
import { silentLogger } from '../../log.js';
import { CaptureHelper, CaptureUnavailableError, findCaptureHelper } from '../capture/capture-helper.js';
import { parseAuditLine } from '../capture/helper-lines.js';
import type { RecordSource, SourceSink } from '../source.js';

/** Joins the group once and leaves: whether this node (namespace, capabilities) allows it, and why not. */
export async function probeAuditNetlink(helper?: string): Promise<{ usable: true } | { usable: false; reason: string }> {
  const binary = helper ?? (await findCaptureHelper());
  if (!binary) return { usable: false, reason: 'seccomp-capture is not installed' };
  const probe = new CaptureHelper(binary, 'audit', { line: () => undefined, exited: () => undefined });
  try {
    await probe.start();
    return { usable: true };
  } catch (err) {
    return { usable: false, reason: err instanceof Error ? err.message : String(err) };
  } finally {
    await probe.stop();
  }
}

export interface AuditNetlinkSourceOptions {
  /** The seccomp-capture binary; default: findCaptureHelper(). */
  helper?: string;
  logger?: Logger;
}

/**
 * Every type=1326 record from the kernel's audit multicast group (what journald's audit socket reads):
 * not subject to printk's rate limit. Needs CAP_AUDIT_READ in the initial network namespace; read
 * through `seccomp-capture audit`. Records carry the kernel text without its `type=1326 ` prefix,
 * put back here so that the kernel-text parser and the de-duplication key read them as they read kmsg.
 */
export class AuditNetlinkSource implements RecordSource {
  readonly name = 'netlink' as const;
  private helper: CaptureHelper | undefined;
  private readonly log: Logger;

  constructor(private readonly opts: AuditNetlinkSourceOptions = {}) {
    this.log = opts.logger ?? silentLogger;
  }

  /** Rejects with CaptureUnavailableError when the group cannot be joined here. */
  async start(sink: SourceSink): Promise<void> {
    const binary = this.opts.helper ?? (await findCaptureHelper());
    if (!binary) throw new CaptureUnavailableError('seccomp-capture is not installed (agent/native, scripts/build-native.sh)', false);
    const helper = new CaptureHelper(binary, 'audit', {
      line: (line) => {
        const event = parseAuditLine(line);
        if (event?.kind === 'seccomp') sink.record({ source: 'netlink', kind: 'audit', text: `type=1326 ${event.text}` });
        // The socket's buffer overflowed: at least one record is gone, the kernel does not say how many.
        else if (event?.kind === 'overrun') sink.lost(1);
      },
      exited: (reason) => {
        this.log.warn({ reason }, 'audit netlink reader stopped');
        sink.unhealthy(reason);
      },
    });
    await helper.start();
    this.helper = helper;
    sink.healthy();
  }

  async stop(): Promise<void> {
    await this.helper?.stop();
    this.helper = undefined;
  }
}
