import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { RUNC } from '../harness/runc.js';
import { defaultPrintkLimits } from '../kernel/printk-limits.js';
import { containerPrerequisites, skipUnless } from './support.js';

const execFileAsync = promisify(execFile);
const QUICKSTART = fileURLToPath(new URL('../../../scripts/quickstart.sh', import.meta.url));

const PREFIX = 'kubectl-seccomp-quickstart.';

/** What a run could leave behind: its runc containers (bundles in its temp dir), its pod's cgroups, its temp dirs. */
async function leftovers(podUid: string): Promise<string[]> {
  const { stdout } = await execFileAsync(RUNC, ['list', '-f', 'json']);
  const containers = ((JSON.parse(stdout) as { id: string; bundle: string }[] | null) ?? [])
    .filter((c) => c.bundle.includes(PREFIX))
    .map((c) => `container ${c.id}`);
  const cgroups: string[] = [];
  for (const root of ['/sys/fs/cgroup', ...(await readdir('/sys/fs/cgroup')).map((d) => `/sys/fs/cgroup/${d}`)]) {
    const dir = `${root}/kubepods/besteffort/pod${podUid}`;
    if (
      await stat(dir).then(
        () => true,
        () => false,
      )
    )
      cgroups.push(dir);
  }
  const temps = (await readdir(tmpdir())).filter((d) => d.startsWith(PREFIX));
  return [...containers, ...cgroups, ...temps];
}

/**
 * The README's first command, after its install step: doctor, lint and push as before, then the demo
 * under the trial profile while watch records it, the suggested profile linted and pushed, and the demo
 * again under it, enforcing and in audit mode, with the kernel's own log checked for denials.
 */
describe('e2e: the quick start runs the whole loop on this machine', function () {
  this.timeout(300_000);

  before(async function () {
    skipUnless(this, await containerPrerequisites());
  });

  it('ends with the demo running clean under the suggested profile, exits 0 and leaves nothing behind', async () => {
    // At the kernel's default limits: the watch must not depend on printk letting records through.
    const restoreLimits = await defaultPrintkLimits();
    try {
      await runQuickstart();
    } finally {
      await restoreLimits();
    }
  });
});

async function runQuickstart(): Promise<void> {
  const ratelimit = await readFile('/proc/sys/kernel/printk_ratelimit', 'utf8');
  const child = spawn('bash', [QUICKSTART, '--skip-setup'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  expect(code, `${stdout}\n${stderr}`).to.equal(0);
  expect(stdout).to.match(/== watch saw [1-9]\d* violations of [1-9]\d* syscalls \(0 from processes that exited before they could be named\)/);
  expect(stdout).to.include('demo: main loop done');
  expect(stdout).to.include("== the demo ran with 0 violations under the suggested profile (checked in the kernel's audit multicast group)");
  expect(stdout).to.include('kubectl seccomp watch -n my-ns --suggest suggested.json');
  const podUid = /in kubepods pod ([0-9a-f-]{36}) /.exec(stdout)?.[1];
  expect(podUid, stdout).to.be.a('string');
  expect(await leftovers(podUid!)).to.deep.equal([]);
  expect(await readFile('/proc/sys/kernel/printk_ratelimit', 'utf8')).to.equal(ratelimit);
}
