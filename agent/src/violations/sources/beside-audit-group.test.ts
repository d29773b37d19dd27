import { expect } from 'chai';
import type { RawRecord } from '../source.js';
import { FakeSource, kmsgText } from '../testing/fakes.js';
import { besideAuditGroup } from './beside-audit-group.js';

describe('besideAuditGroup: kmsg read beside the audit multicast group', () => {
  it('passes records and audit_lost reports, not printk suppressions nor ring overruns', async () => {
    const inner = new FakeSource('kmsg');
    const seen: RawRecord[] = [];
    let lost = 0;
    let healthy = false;
    await besideAuditGroup(inner).start(
      { record: (r) => seen.push(r), lost: (n) => (lost += n), healthy: () => (healthy = true), unhealthy: () => undefined },
      { sinceUnixMs: 0 },
    );
    const lostLine = 'audit: audit_lost=7 audit_rate_limit=0 audit_backlog_limit=64';
    for (const text of [kmsgText(1), 'kauditd_printk_skb: 12 callbacks suppressed', lostLine])
      inner.sink!.record({ source: 'kmsg', kind: 'kmsg', text, seq: 1, usec: 1 });
    inner.sink!.lost(3);
    inner.sink!.healthy();
    expect(seen.map((r) => (r.kind === 'kmsg' ? r.text : ''))).to.deep.equal([kmsgText(1), lostLine]);
    expect(lost, 'a ring overrun lost log lines, not records').to.equal(0);
    expect(healthy).to.equal(true);
  });
});
