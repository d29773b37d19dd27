import { expect } from 'chai';
import { journalctlArgs, silentLogger, ViolationPipeline } from '@kubectl-seccomp/agent';
import { buildFeed, ingestItem, touchFeed } from './feed.js';

describe('benchmark feed', () => {
  for (const [carriers, copies] of [
    ['kmsg+audit', 2],
    ['journald', 1],
    ['journald-kernel', 1],
    ['kmsg', 1],
  ] as const) {
    it(`${carriers}: ${copies} whole copies of every record, read by the pipeline as one violation each`, async () => {
      const feed = buildFeed({ records: 300, pid: (i) => 100_000 + i, lossEvery: 100, carriers });
      expect(feed.copies).to.equal(copies);
      expect(touchFeed(feed.items)).to.equal(300 * copies);
      const pipeline = new ViolationPipeline({ nodeName: 'n', hostRoot: '/nonexistent', sources: [], log: silentLogger });
      for (const item of feed.items) ingestItem(pipeline, item);
      const stats = pipeline.sourceStats();
      expect(stats.reduce((n, s) => n + s.records, 0)).to.equal(300 * copies);
      expect(stats.reduce((n, s) => n + s.damaged, 0)).to.equal(0);
      expect(stats.reduce((n, s) => n + s.lost, 0)).to.equal(feed.lossLines * 3);

      const stop = new AbortController();
      // History replays synchronously; the timer only ends the loop if a violation were missing.
      const timer = setTimeout(() => stop.abort(), 1500);
      const ids = new Set<string>();
      const pids = new Set<number>();
      for await (const event of pipeline.watch(
        { filter: { namespaces: [], pods: [], containers: [], syscalls: [], actions: [] }, sinceUnixMs: 1, statsIntervalMs: 0, maxQueue: 0 },
        stop.signal,
      )) {
        if (event.kind !== 'violation') continue;
        ids.add(event.violation.auditId);
        pids.add(event.violation.pid);
        if (ids.size + pids.size === 600) stop.abort();
      }
      clearTimeout(timer);
      await pipeline.stop();
      expect(ids.size).to.equal(300);
      expect(pids.size).to.equal(300);
    });
  }

  it('carries journald entries with the fields journalctl prints for the agent, in no fixed order', () => {
    const asked = journalctlArgs({ sinceUnixMs: 0 })
      .find((a) => a.startsWith('--output-fields='))!
      .slice('--output-fields='.length)
      .split(',');
    // journalctl adds these to whatever --output-fields asks for.
    const printed = new Set([...asked, '__CURSOR', '__REALTIME_TIMESTAMP', '__MONOTONIC_TIMESTAMP', '_BOOT_ID']);
    for (const carriers of ['journald', 'journald-kernel'] as const) {
      const entries = buildFeed({ records: 20, pid: () => 1, carriers })
        .items.filter((i) => i.kind === 'journal')
        .map((i) => JSON.parse(i.line) as Record<string, unknown>);
      expect(entries).to.have.length(20);
      expect(new Set(entries.map((e) => e._TRANSPORT))).to.deep.equal(new Set([carriers === 'journald' ? 'audit' : 'kernel']));
      for (const entry of entries) expect(Object.keys(entry).filter((k) => !printed.has(k))).to.deep.equal([]);
      expect(new Set(entries.map((e) => Object.keys(e)[0])).size).to.be.greaterThan(1);
      expect(new Set(entries.map((e) => e.__CURSOR)).size).to.equal(20);
    }
  });

  it("without kmsg, journald's kernel transport brings the loss reports alongside the audit transport's records", () => {
    const journal = buildFeed({ records: 20, pid: () => 1, lossEvery: 10, carriers: 'journald' })
      .items.filter((i) => i.kind === 'journal')
      .map((i) => JSON.parse(i.line) as Record<string, unknown>);
    const kernel = journal.filter((e) => e._TRANSPORT === 'kernel');
    expect(kernel.map((e) => e.MESSAGE)).to.deep.equal(['kauditd_printk_skb: 3 callbacks suppressed', 'kauditd_printk_skb: 3 callbacks suppressed']);
    expect(journal.filter((e) => e._TRANSPORT === 'audit')).to.have.length(20);
  });

  it('with kmsg read, journald brings only its audit transport', () => {
    const journal = buildFeed({ records: 20, pid: () => 1 })
      .items.filter((i) => i.kind === 'journal')
      .map((i) => JSON.parse(i.line) as Record<string, unknown>);
    expect(journal.map((e) => e._TRANSPORT)).to.deep.equal(Array(20).fill('audit'));
  });
});
