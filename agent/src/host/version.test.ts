import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { versionAtLeast, versionFromBinary, versionFromOutput } from './version.js';

describe('program versions', () => {
  it('reads the version from --version output of runc, crun, containerd, docker and CRI-O', () => {
    expect(versionFromOutput('runc version 1.1.5+ds1\ncommit: 1.1.5+ds1-1+deb12u1\nspec: 1.0.2-dev\n')).to.equal('1.1.5+ds1');
    expect(versionFromOutput('crun version 1.8.7\ncommit: 53a9996ce82d1ee818349bdcc64797a1fa0433c4\n')).to.equal('1.8.7');
    expect(versionFromOutput('containerd github.com/containerd/containerd v1.7.13 7c3aca7a610df76212171d200ca3811ff6096eb8\n')).to.equal('1.7.13');
    expect(versionFromOutput('Docker version 24.0.7, build 311b9ff\n')).to.equal('24.0.7');
    expect(versionFromOutput('Version:        1.28.1\nGitCommit:      unknown\n')).to.equal('1.28.1');
    expect(versionFromOutput('no version here')).to.equal('');
  });

  it('prefers a labelled version in a binary, else the NUL-delimited one', () => {
    expect(versionFromBinary(Buffer.from('\0junk\0crun version 1.14.4\0'), 'crun')).to.equal('1.14.4');
    expect(versionFromBinary(Buffer.from('\0\0go1.22.8\0\x001.2.0\0\0v1.2.0-0-g0aa2d9d\0'), 'runc')).to.equal('1.2.0');
    expect(versionFromBinary(Buffer.from('\x001.1.5+ds1-1+deb12u1\0\x001.1.5+ds1\0'), 'runc')).to.equal('1.1.5+ds1');
    expect(versionFromBinary(Buffer.from('nothing to see'), 'runc')).to.equal('');
  });

  it('compares versions numerically', () => {
    expect(versionAtLeast('1.2.0', [1, 2])).to.equal(true);
    expect(versionAtLeast('1.10.0', [1, 2])).to.equal(true);
    expect(versionAtLeast('1.1.5+ds1', [1, 2])).to.equal(false);
    expect(versionAtLeast('0.19', [0, 19])).to.equal(true);
    expect(versionAtLeast('', [1, 2])).to.equal(false);
  });

  it('finds the version in the real runc binary of this machine', function () {
    const runc = '/usr/sbin/runc';
    if (!existsSync(runc)) {
      if (process.env.CI) throw new Error(`${runc} is required in CI`);
      this.skip();
    }
    const printed = versionFromOutput(execFileSync(runc, ['--version'], { encoding: 'utf8' }));
    expect(printed).to.match(/^\d+\.\d+\.\d+/);
    expect(versionFromBinary(readFileSync(runc), 'runc')).to.equal(printed);
  });
});
