import { expect } from 'chai';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { rootMissing, skipUnless } from '../violations/testing/sources.js';
import type { HostProcess } from './proc.js';
import { readRuntimes } from './runtime.js';
import { trustedExecutable } from './trusted-exec.js';

const NOBODY = 65534;

function daemon(pid: number, exe: string): HostProcess {
  return { pid, ppid: 1, argv: [exe], comm: path.basename(exe), uid: 0, exe, seccomp: 0, seccompFilters: 0, cgroup: '0::/\n' };
}

describe('local mode executes only root-owned programs in system dirs', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'seccomp-trust-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('does not run a dockerd found by name outside the system dirs', async () => {
    const fake = path.join(dir, 'dockerd');
    await writeFile(fake, '#!/bin/sh\necho dockerd version 99.0.0\n', { mode: 0o755 });
    if (process.getuid?.() === 0) await chown(fake, NOBODY, NOBODY);
    const ran: string[] = [];
    const facts = await readRuntimes('/', [daemon(4242, fake)], async (file) => {
      ran.push(file);
      return 'Docker version 99.0.0';
    });
    expect(ran).to.deep.equal([]);
    expect(facts.containerRuntimes).to.deep.equal([{ name: 'docker', pid: 4242, exe: fake, version: '' }]);
  });

  it('trusts the system shell', async () => {
    expect(await trustedExecutable('/bin/sh')).to.be.a('string');
    expect(await trustedExecutable('sh')).to.equal(undefined);
  });

  describe('in a root-only dir standing for a system dir', () => {
    let sysDir: string;
    beforeEach(async function () {
      skipUnless(this, rootMissing());
      // /run is root-owned 0755, unlike /tmp (world-writable, so never trusted).
      sysDir = await mkdtemp('/run/seccomp-trust-');
      await chmod(sysDir, 0o755);
    });
    afterEach(async () => {
      if (sysDir) await rm(sysDir, { recursive: true, force: true });
    });

    it('trusts a root-owned 0755 binary and nothing another user could have changed', async () => {
      const bin = path.join(sysDir, 'containerd');
      await writeFile(bin, '#!/bin/sh\n', { mode: 0o755 });
      expect(await trustedExecutable(bin, [sysDir])).to.equal(bin);
      expect(await trustedExecutable(bin), 'not a system dir').to.equal(undefined);
      await chmod(bin, 0o775);
      expect(await trustedExecutable(bin, [sysDir]), 'group-writable').to.equal(undefined);
      await chmod(bin, 0o755);
      await chown(bin, NOBODY, NOBODY);
      expect(await trustedExecutable(bin, [sysDir]), 'owned by nobody').to.equal(undefined);
      await chown(bin, 0, 0);
      await chmod(sysDir, 0o777);
      expect(await trustedExecutable(bin, [sysDir]), 'dir writable by others').to.equal(undefined);
    });
  });
});
