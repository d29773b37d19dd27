import { expect } from 'chai';
import { checkCaptureMode, type CaptureFacts } from './capture-mode.js';
import type { NodeFacts } from './facts.js';

const logs = (auditdRunning: boolean) => ({ printkRatelimit: 5, printkRatelimitBurst: 10, probe: { auditdRunning } });
const facts = (capture: CaptureFacts | undefined, auditdRunning = false): NodeFacts => ({ capture, logs: logs(auditdRunning) }) as unknown as NodeFacts;
const full: CaptureFacts = {
  auditNetlink: { used: true, reason: 'joined' },
  processTracking: { used: true, reason: 'BPF tracepoints attached' },
  sources: ['netlink'],
};

describe('capture.mode', () => {
  it('passes when every record is read and processes are named from BPF events', () => {
    expect(checkCaptureMode(facts(full))).to.include({ status: 'pass', summary: 'every record (audit multicast group), processes named from BPF events' });
  });

  it('names the printk limit when records come through the kernel log, and what to grant', () => {
    const r = checkCaptureMode(facts({ ...full, auditNetlink: { used: false, reason: 'not permitted' }, sources: ['kmsg', 'journald'] }));
    expect(r.status).to.equal('warn');
    expect(r.summary).to.equal('records may be dropped by the kernel log rate limit');
    expect(r.detail).to.contain('lets 10 per 5s through and drops the rest');
    expect(r.remedy).to.contain('CAP_AUDIT_READ');
  });

  it('says which records go unnamed without BPF process tracking', () => {
    const r = checkCaptureMode(facts({ ...full, processTracking: { used: false, reason: 'not permitted (needs CAP_BPF and CAP_PERFMON)' } }));
    expect(r.status).to.equal('warn');
    expect(r.detail).to.contain('exited at once or was killed');
    expect(r.remedy).to.contain('CAP_BPF and CAP_PERFMON');
  });

  it('skips where no pipeline runs', () => {
    expect(checkCaptureMode(facts(undefined)).status).to.equal('skip');
  });
});
