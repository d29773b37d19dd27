import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LintOutput } from '../output/types.js';
import { errorText, killStrayClis, runCli, runCliJson } from '../testing/run-cli.js';
import { STARTUP_SYSCALLS } from '@kubectl-seccomp/profiles';

/** The calls every container makes at start: without them lint's cannot-start refuses the profile. */
const startable = { names: STARTUP_SYSCALLS.flatMap((c) => c.names), action: 'SCMP_ACT_ALLOW' };

const FIXTURES = fileURLToPath(new URL('../../fixtures/profiles/', import.meta.url));

describe('kubectl seccomp lint (real CLI)', () => {
  afterEach(killStrayClis);

  it('exits 0 for valid profiles, finding every *.json under a directory', async () => {
    const run = await runCliJson<LintOutput>(['lint', join(FIXTURES, 'good')]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.json.files.map((f) => f.file)).to.deep.equal([join(FIXTURES, 'good/sub/worker.json'), join(FIXTURES, 'good/web.json')]);
    expect(run.json.summary).to.include({ files: 2, errors: 0 });
  });

  it('exits 1 and names the JSON path, line and code of an invalid action', async () => {
    const run = await runCliJson<LintOutput>(['lint', join(FIXTURES, 'bad/invalid-action.json')]);
    expect(run.code).to.equal(1);
    const [issue] = run.json.files[0]!.issues;
    expect(issue).to.include({ severity: 'error', path: '/syscalls/1/action', line: 5 });
    expect(issue!.message).to.contain('SCMP_ACT_PERMIT');
  });

  it('groups the table by file', async () => {
    const run = await runCli(['lint', join(FIXTURES, 'bad/invalid-action.json'), join(FIXTURES, 'good/web.json')]);
    expect(run.code).to.equal(1);
    expect(run.stdout).to.contain(`${join(FIXTURES, 'bad/invalid-action.json')}\n  error  /syscalls/1/action  5:`);
    // web.json allows two x86_64-only calls and lists aarch64 too: one finding for that arch, info (allowing a call that does not exist changes nothing).
    expect(run.stdout).to.match(
      new RegExp(
        `${join(FIXTURES, 'good/web.json')}\\n(.*\\n)*  info  +/syscalls/0/names/1  +9:20  syscall-not-on-arch  arch_prctl, epoll_wait do not exist on SCMP_ARCH_AARCH64`,
      ),
    );
    expect(run.stdout).to.match(/2 files: 1 error, 0 warnings, \d+ info\n$/);
  });

  it('reads stdin for "-"', async () => {
    const text = await readFile(join(FIXTURES, 'bad/invalid-action.json'), 'utf8');
    const run = await runCliJson<LintOutput>(['lint', '-'], { stdin: text });
    expect(run.code).to.equal(1);
    expect(run.json.files[0]).to.include({ file: '-' });
    expect(run.json.files[0]!.issues[0]?.code).to.equal('invalid-action');
  });

  it('--strict fails on warnings (containerd ignoring Docker-format fields)', async () => {
    const file = join(FIXTURES, 'docker/caps.json');
    const plain = await runCliJson<LintOutput>(['lint', file]);
    expect(plain.code).to.equal(0);
    expect(plain.json.files[0]!.issues.map((i) => i.code)).to.include('containerd-ignores-field');
    const strict = await runCli(['lint', file, '--strict']);
    expect(strict.code).to.equal(1);
  });

  it('exits 2 naming a file that does not exist', async () => {
    const missing = join(FIXTURES, 'no-such-profile.json');
    const run = await runCli(['lint', missing]);
    expect(run.code).to.equal(2);
    expect(errorText(run)).to.contain(`${missing}: no such file or directory`);
    expect(run.stdout).to.equal('');
  });

  it('did you mean: actions, architectures, field names and syscall names', async () => {
    const typos = JSON.stringify({
      defaultAction: 'SCMP_ACT_ERRNO',
      architectures: ['x86_64'],
      syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALOW' }],
      sycalls: [],
    });
    const invalid = await runCliJson<LintOutput>(['lint', '-'], { stdin: typos });
    const messages = invalid.json.files[0]!.issues.map((i) => i.message);
    expect(messages.some((m) => m.includes('did you mean SCMP_ARCH_X86_64?'))).to.equal(true, messages.join('\n'));
    expect(messages.some((m) => m.includes('did you mean SCMP_ACT_ALLOW?'))).to.equal(true, messages.join('\n'));
    expect(messages.some((m) => m.includes('did you mean "syscalls"?'))).to.equal(true, messages.join('\n'));
    const names = JSON.stringify({
      defaultAction: 'SCMP_ACT_ERRNO',
      architectures: ['SCMP_ARCH_X86_64'],
      syscalls: [{ names: ['wrtie'], action: 'SCMP_ACT_ALLOW' }],
    });
    const run = await runCliJson<LintOutput>(['lint', '-'], { stdin: names });
    const unknown = run.json.files[0]!.issues.find((i) => i.code === 'unknown-syscall');
    expect(unknown?.message).to.contain('(did you mean "write"?)');
    // Every finding has its line:column (the name is on line 1 of this one-line document).
    expect(run.json.files[0]!.issues.every((i) => i.line !== undefined && i.column !== undefined)).to.equal(true);
    expect(unknown).to.include({ line: 1, column: names.indexOf('"wrtie"') + 1 });
  });

  it('an unknown syscall in an ALLOW rule exits 1 (the call would be denied); --allow-unknown makes it a warning', async () => {
    const typo = JSON.stringify({
      defaultAction: 'SCMP_ACT_ERRNO',
      architectures: ['SCMP_ARCH_X86_64'],
      syscalls: [{ names: ['read', 'wrtie'], action: 'SCMP_ACT_ALLOW' }, startable],
    });
    const strict = await runCliJson<LintOutput>(['lint', '-'], { stdin: typo });
    expect(strict.code).to.equal(1);
    expect(strict.json.files[0]!.issues.find((i) => i.code === 'unknown-syscall')).to.include({ severity: 'error', path: '/syscalls/0/names/1' });
    const allowed = await runCliJson<LintOutput>(['lint', '-', '--allow-unknown'], { stdin: typo });
    expect(allowed.code).to.equal(0);
    expect(allowed.json.files[0]!.issues.find((i) => i.code === 'unknown-syscall')?.severity).to.equal('warning');
  });

  it('the message is the last column: no row is padded to the longest message', async () => {
    const typo = JSON.stringify({
      defaultAction: 'SCMP_ACT_ERRNO',
      architectures: ['SCMP_ARCH_X86_64'],
      syscalls: [{ names: ['wrtie'], action: 'SCMP_ACT_LOG' }],
    });
    const run = await runCli(['lint', '-'], { stdin: typo });
    const rows = run.stdout.split('\n').filter((l) => l.startsWith('  '));
    expect(rows.length).to.be.greaterThan(1);
    for (const row of rows) expect(row, row).to.match(/\S$/);
    expect(rows.find((r) => r.includes('unknown-syscall'))).to.match(/unknown-syscall\s+unknown syscall "wrtie"/);
  });
});
