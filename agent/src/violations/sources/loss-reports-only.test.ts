import { expect } from 'chai';
import type { RawRecord } from '../source.js';
import { FakeSource, kmsgText } from '../testing/fakes.js';
import { lossReportsOnly } from './loss-reports-only.js';

describe('lossReportsOnly: kmsg beside the audit multicast group', () => {
  it('passes the kernel\'s audit_lost reports and nothing else', async () => {
    const inner = new FakeSource('kmsg');
    const seen: RawRecord[] = [];
    let lost = 0;
    await lossReportsOnly(inner).start({ record: (r) => seen.push(r), lost: (n) => (lost += n), healthy: () => undefined, unhealthy: () => undefined }, { sinceUnixMs: 0 });
    const lostLine = 'audit: audit_lost=7 audit_rate_limit=0 audit_backlog_limit=64';
    for (const text of [kmsgText(1), 'kauditd_printk_skb: 12 callbacks suppressed', lostLine]) inner.sink!.record({ source: 'kmsg', kind: 'kmsg', text, seq: 1, usec: 1 });
    inner.sink!.lost(3);
    expect(seen.map((r) => (r.kind === 'kmsg' ? r.text : ''))).to.deep.equal([lostLine]);
    expect(lost, 'a ring overrun loses log lines, not records').to.equal(0);
  });
});
