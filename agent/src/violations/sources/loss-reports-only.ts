import type { RecordSource, SourceSink } from '../source.js';

/**
 * A kernel-log source reduced to the kernel's own count of records it dropped (`audit_lost=N`), for
 * when the audit multicast group brings the records: the group gets every record the kernel made, so
 * printk's "callbacks suppressed" lines are no losses then, but records dropped before printk and
 * the group (audit backlog full) are reported only in the kernel log.
 */
export function lossReportsOnly(inner: RecordSource): RecordSource {
  return {
    name: inner.name,
    start: (sink: SourceSink, opts) =>
      inner.start(
        {
          record: (raw) => {
            if (raw.kind === 'kmsg' && raw.text.includes('audit_lost=')) sink.record(raw);
          },
          // An overrun of the kernel ring lost log lines, not records (the group has them); audit_lost is
          // cumulative, so the next report still counts what a lost one said.
          lost: () => undefined,
          healthy: () => sink.healthy(),
          unhealthy: (e) => sink.unhealthy(e),
        },
        opts,
      ),
    stop: () => inner.stop(),
  };
}
