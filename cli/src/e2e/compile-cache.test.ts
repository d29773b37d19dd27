import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { killStrayClis, runCli } from '../testing/run-cli.js';

const LINT = ['lint', new URL('../../../profiles/catalog/deny-mkdir.json', import.meta.url).pathname];
/** Files of the compile cache under dir: Node keeps one subdirectory per Node release, arch and user. */
function cached(dir: string): string[] {
  return readdirSync(dir).flatMap((tag) => readdirSync(join(dir, tag)).map((f) => join(tag, f)));
}

describe("kubectl seccomp: V8's compile cache (cli/bin/run.js)", () => {
  let home: string;

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'kseccomp-cc-'));
  });
  afterEach(() => {
    killStrayClis();
    rmSync(home, { recursive: true, force: true });
  });

  it("keeps the bundle's compiled code in a private directory of the user's cache", async () => {
    const run = await runCli(LINT, { env: { HOME: home, XDG_CACHE_HOME: '', NODE_COMPILE_CACHE: '' } });
    expect(run.code, run.stderr).to.equal(0);
    const base = join(home, '.cache', `kubectl-seccomp-${process.getuid!()}`);
    expect(statSync(base).mode & 0o077, `${base} is open to others`).to.equal(0);
    expect(cached(join(base, 'compile-cache')).length).to.be.greaterThan(1);
  });

  it('uses NODE_COMPILE_CACHE instead when set, and nothing with NODE_DISABLE_COMPILE_CACHE=1', async () => {
    const dir = join(home, 'elsewhere');
    expect((await runCli(LINT, { env: { HOME: home, XDG_CACHE_HOME: '', NODE_COMPILE_CACHE: dir } })).code).to.equal(0);
    expect(cached(dir).length).to.be.greaterThan(1);
    const off = join(home, 'off');
    expect((await runCli(LINT, { env: { HOME: off, XDG_CACHE_HOME: '', NODE_COMPILE_CACHE: '', NODE_DISABLE_COMPILE_CACHE: '1' } })).code).to.equal(0);
    expect(existsSync(join(off, '.cache', `kubectl-seccomp-${process.getuid!()}`, 'compile-cache'))).to.equal(false);
  });
});
