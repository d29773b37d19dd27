import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootTimeUnixMs } from './boot-time.js';

describe('boot time', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'seccomp-boottime-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("is now minus the host's uptime", async () => {
    mkdirSync(join(root, 'proc'));
    writeFileSync(join(root, 'proc/uptime'), '86400.25 170000.00\n');
    const before = Date.now();
    const boot = await bootTimeUnixMs(root);
    expect(boot).to.be.within(before - 86_400_250, Date.now() - 86_400_250);
  });

  it("falls back to the agent's own /proc when the host's is not mounted", async () => {
    const boot = await bootTimeUnixMs(root);
    expect(boot).to.be.below(Date.now());
    expect(boot).to.be.above(0);
  });
});
