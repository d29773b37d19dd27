import { expect } from 'chai';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chooseSources, type NodeLogFacts } from './choose.js';
import { JournaldSource } from './journald.js';
import { probeNodeLogs, resolveSources } from './resolve.js';

const plainNode: NodeLogFacts = {
  auditdRunning: false,
  auditLogFile: 'var/log/audit/audit.log',
  auditLogPresent: false,
  journaldRunning: true,
  journalPresent: true,
  journalctl: '/usr/bin/journalctl',
  kmsgError: undefined,
};

const used = (facts: NodeLogFacts, requested: Parameters<typeof chooseSources>[1]) =>
  chooseSources(facts, requested)
    .filter((c) => c.used)
    .map((c) => c.name);

describe('choosing violation sources', () => {
  it('auto reads kmsg and journald together when auditd is not running', () => {
    expect(used(plainNode, 'auto')).to.deep.equal(['kmsg', 'journald']);
  });

  it('auto reads the audit multicast group when it can be joined, and kmsg beside it', () => {
    const choices = chooseSources({ ...plainNode, auditdRunning: true, auditNetlink: { usable: true } }, 'auto');
    expect(choices.filter((c) => c.used).map((c) => c.name)).to.deep.equal(['kmsg', 'netlink']);
    expect(choices.find((c) => c.name === 'kmsg')?.reason).to.contain('beside the audit multicast group');
    expect(choices.find((c) => c.name === 'journald')?.reason).to.equal('the audit multicast group brings every record, unthrottled');
  });

  it('auto says why the audit multicast group is not read', () => {
    const choices = chooseSources({ ...plainNode, auditNetlink: { usable: false, reason: 'not permitted' } }, 'auto');
    expect(used({ ...plainNode, auditNetlink: { usable: false, reason: 'not permitted' } }, 'auto')).to.deep.equal(['kmsg', 'journald']);
    expect(choices.find((c) => c.name === 'netlink')?.reason).to.equal('the audit multicast group cannot be joined: not permitted');
  });

  it('auto reads only audit.log when auditd owns the records, and says why', () => {
    const choices = chooseSources({ ...plainNode, auditdRunning: true, auditLogPresent: true }, 'auto');
    expect(choices.filter((c) => c.used).map((c) => c.name)).to.deep.equal(['auditlog']);
    expect(choices.find((c) => c.name === 'kmsg')?.reason).to.equal('auditd is running: records go to /var/log/audit/audit.log, not to the kernel log');
  });

  it('auto skips journald without journalctl and kmsg when it cannot be opened', () => {
    const choices = chooseSources({ ...plainNode, journalctl: undefined, kmsgError: 'EACCES' }, 'auto');
    expect(choices.filter((c) => c.used)).to.deep.equal([]);
    expect(choices.map((c) => c.reason)).to.deep.equal([
      '/dev/kmsg is not readable: EACCES',
      'journald is there but no journalctl binary was found',
      'auditd is not running',
      'the audit multicast group was not tried',
    ]);
  });

  it('an explicit list is honoured, with caveats in the reasons', () => {
    const choices = chooseSources({ ...plainNode, auditdRunning: true }, ['kmsg']);
    expect(choices.filter((c) => c.used).map((c) => c.name)).to.deep.equal(['kmsg']);
    expect(choices[0]?.reason).to.equal('requested; auditd is running: seccomp records go to /var/log/audit/audit.log instead');
    expect(choices[1]?.reason).to.equal('not requested');
  });
});

describe('probing a host root for its logs', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'seccomp-probe-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function put(path: string, content = ''): void {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }

  it('finds auditd and its configured log, journald by its truncated comm, and a readable kmsg', async () => {
    put('proc/1/comm', 'systemd\n');
    put('proc/412/comm', 'systemd-journal\n');
    put('proc/977/comm', 'auditd\n');
    put('proc/30/comm', 'kauditd\n');
    put('etc/audit/auditd.conf', 'local_events = yes\nlog_file = /srv/audit/audit.log\nlog_format = ENRICHED\n');
    put('srv/audit/audit.log');
    put('dev/kmsg');
    put('bin/journalctl', '#!/bin/sh\n');
    chmodSync(join(root, 'bin/journalctl'), 0o755);
    const facts = await probeNodeLogs(root, { journalctl: join(root, 'bin/journalctl') });
    expect(facts).to.deep.equal({
      auditdRunning: true,
      auditLogFile: 'srv/audit/audit.log',
      auditLogPresent: true,
      journaldRunning: true,
      journalPresent: false,
      journalctl: join(root, 'bin/journalctl'),
      kmsgError: undefined,
    });
  });

  it('does not take the kernel thread kauditd for auditd, and reports a missing kmsg', async () => {
    put('proc/30/comm', 'kauditd\n');
    mkdirSync(join(root, 'var/log/journal'), { recursive: true });
    const facts = await probeNodeLogs(root, { journalctl: join(root, 'no-journalctl') });
    expect(facts.auditdRunning).to.equal(false);
    expect(facts.auditLogFile).to.equal('var/log/audit/audit.log');
    expect(facts.journalPresent).to.equal(true);
    expect(facts.journalctl).to.equal(undefined);
    expect(facts.kmsgError).to.equal('ENOENT');
  });

  it('resolveSources builds the chosen sources', async () => {
    put('proc/977/comm', 'auditd\n');
    put('dev/kmsg');
    // This test's host is a fixture: the kernel's audit group must not count.
    const { sources, choices } = await resolveSources(root, 'auto', { captureHelper: join(root, 'no-seccomp-capture') });
    expect(sources.map((s) => s.name)).to.deep.equal(['auditlog']);
    expect(choices.find((c) => c.name === 'auditlog')?.reason).to.equal('auditd is running; /var/log/audit/audit.log does not exist yet');
    const explicit = await resolveSources(root, ['kmsg', 'journald']);
    expect(explicit.sources.map((s) => s.name)).to.deep.equal(['kmsg', 'journald']);
    // With kmsg read, journald's kernel entries would only be copies of the same ring.
    expect((explicit.sources[1] as JournaldSource).kernelTransport).to.equal('none');
    const journalOnly = await resolveSources(root, ['journald']);
    expect((journalOnly.sources[0] as JournaldSource).kernelTransport).to.equal('all');
  });
});
