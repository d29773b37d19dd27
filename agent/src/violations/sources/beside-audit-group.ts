import type { RecordSource, SourceSink } from '../source.js';

/**
 * The kernel log read beside the audit multicast group. The group gets every record the kernel made,
 * so printk's "callbacks suppressed" lines are no losses then, nor is an overrun of the kernel ring
 * (it lost log lines, whose records the group brought). What the kernel log still adds: its
 * `audit_lost=N` reports (records the audit backlog dropped before any reader got them), and the
 * records logged while the agent was down, which a resumed kmsg replays; copies are dropped by audit id.
 */
export function besideAuditGroup(kmsg: RecordSource): RecordSource {
  return {
    name: kmsg.name,
    start: (sink: SourceSink, opts) =>
      kmsg.start(
        {
          ...sink,
          record: (raw) => {
            if (!(raw.kind === 'kmsg' && raw.text.includes('callbacks suppressed'))) sink.record(raw);
          },
          lost: () => undefined,
        },
        opts,
      ),
    stop: () => kmsg.stop(),
  };
}
