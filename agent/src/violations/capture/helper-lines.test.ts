import { expect } from 'chai';
import { parseAuditLine, parseProcLine } from './helper-lines.js';

describe('seccomp-capture lines', () => {
  it('reads process events with their pid, cgroup id and time', () => {
    expect(parseProcLine('fork 4242 9137 1796508014383.035')).to.deep.equal({ kind: 'fork', pid: 4242, cgroupId: 9137, timeMs: 1796508014383.035 });
    expect(parseProcLine('exec 4242 1 1796508014444.470')).to.deep.equal({ kind: 'exec', pid: 4242, cgroupId: 1, timeMs: 1796508014444.47 });
    expect(parseProcLine('attach 8778 215 1796508015551.999')).to.deep.equal({ kind: 'attach', pid: 8778, cgroupId: 215, timeMs: 1796508015551.999 });
    expect(parseProcLine('exit 8683 1796508014194.400')).to.deep.equal({ kind: 'exit', pid: 8683, timeMs: 1796508014194.4 });
  });

  it('keeps a cgroup path whole, spaces included', () => {
    expect(parseProcLine('mkdir 215 /kubepods/besteffort/pod1/my cgroup')).to.deep.equal({
      kind: 'mkdir',
      cgroupId: 215,
      path: '/kubepods/besteffort/pod1/my cgroup',
    });
    expect(parseProcLine('rmdir 215')).to.deep.equal({ kind: 'rmdir', cgroupId: 215 });
  });

  it('reads losses, readiness and sync answers', () => {
    expect(parseProcLine('lost 12')).to.deep.equal({ kind: 'lost', count: 12 });
    expect(parseProcLine('ready')).to.deep.equal({ kind: 'ready' });
    expect(parseProcLine('sync 7')).to.deep.equal({ kind: 'sync', token: 7 });
  });

  it('refuses what the protocol does not define', () => {
    for (const line of [
      '',
      'fork',
      'fork 1 2',
      'fork x 2 3',
      'fork 1 2 3 4',
      'exec 1 -2 3',
      'exit 1',
      'mkdir 215',
      'mkdir 215 relative',
      'rmdir',
      'lost',
      'ready now',
      'sync',
      'hello 1 2 3',
      'fork 1 99999999999999999999 3',
    ]) {
      expect(parseProcLine(line), line).to.equal(undefined);
    }
  });

  it('reads audit records, overruns and readiness', () => {
    const text =
      'audit(1796508015.551:812): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=3436 comm="mkdir" exe="/bin/busybox" sig=0 arch=c000003e syscall=83 compat=0 ip=0x47b567 code=0x7ffc0000';
    expect(parseAuditLine(`seccomp ${text}`)).to.deep.equal({ kind: 'seccomp', text });
    expect(parseAuditLine('overrun')).to.deep.equal({ kind: 'overrun' });
    expect(parseAuditLine('ready')).to.deep.equal({ kind: 'ready' });
    expect(parseAuditLine('missed 12')).to.deep.equal({ kind: 'missed', count: 12 });
    expect(parseAuditLine('missed')).to.equal(undefined);
    expect(parseAuditLine('something else')).to.equal(undefined);
  });
});
