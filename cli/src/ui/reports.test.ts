import { expect } from 'chai';
import type { LintOutput, PushOutput } from '../output/types.js';
import { stringWidth } from './hanging.js';
import { renderLint } from './lint.js';
import { renderPush } from './push.js';
import { tableView } from './table.js';

const MESSAGE =
  'unknown syscall "wrtie" (did you mean "write"?): runc silently drops names libseccomp does not know, so this call is denied (--allow-unknown: a warning)';

const lint: LintOutput = {
  files: [
    {
      file: 'profiles/web.json',
      issues: [
        { severity: 'error', code: 'unknown-syscall', source: 'profiles/web.json', path: '/syscalls/0/names/1', line: 9, column: 20, message: MESSAGE },
        { severity: 'info', code: 'audit-mode', source: 'profiles/web.json', path: '/defaultAction', line: 2, column: 3, message: 'audit mode' },
      ],
    },
  ],
  summary: { files: 1, errors: 1, warnings: 0, infos: 1 },
};

const push: PushOutput = {
  dryRun: false,
  prefix: 'kubectl-seccomp',
  profiles: [{ source: 'profiles/web.json', path: 'kubectl-seccomp/web.json', sha256: 'a'.repeat(64) }],
  nodes: [
    {
      node: 'worker-1',
      via: 'direct',
      endpoint: '127.0.0.1:9443',
      status: 'ok',
      warnings: ['runc 1.1.12 takes no seccomp flags: SECCOMP_FILTER_FLAG_LOG is not sent, so ERRNO denials of these profiles cannot be seen by watch'],
      results: [
        {
          path: 'kubectl-seccomp/web.json',
          outcome: 'error',
          sha256: 'b'.repeat(64),
          error: 'a file this tool did not write is at this path: left alone (--force overwrites it and manages it from then on)',
          flattened: false,
          localhostProfile: 'kubectl-seccomp/web.json',
        },
      ],
    },
  ],
  summary: { created: 0, updated: 0, unchanged: 0, deleted: 0, adopted: 0, error: 1, unreachable: 0 },
};

const fits = (text: string, width: number) => {
  for (const line of text.split('\n')) expect(stringWidth(line), line).to.be.at.most(width);
  expect(text).not.to.contain('\u001b');
};

describe('report tables at 80 columns', () => {
  it('lint at 80 columns: a message left too narrow beside its row goes under it, wrapped; nothing is padded to it', () => {
    const out = renderLint(lint, tableView({ color: false, width: 80 }, 'table'));
    fits(out, 80);
    const lines = out.split('\n');
    expect(lines[1]).to.equal('  error  /syscalls/0/names/1  9:20  unknown-syscall');
    const under = lines.slice(
      2,
      lines.findIndex((l) => l.includes('audit-mode')),
    );
    expect(under.length).to.be.greaterThan(1);
    for (const l of under) expect(l).to.match(/^ {6}\S/);
    expect(under.map((l) => l.trim()).join(' ')).to.equal(MESSAGE);
    expect(lines.find((l) => l.includes('audit-mode'))).to.equal('  info   /defaultAction       2:3   audit-mode');
  });

  it('lint at 120 columns: the message stays beside its row and wraps under its own column', () => {
    const out = renderLint(lint, tableView({ color: false, width: 120 }, 'table'));
    fits(out, 120);
    const lines = out.split('\n');
    expect(lines[1]).to.match(/^ {2}error {2}\/syscalls\/0\/names\/1 {2}9:20 {2}unknown-syscall {2}unknown syscall/);
    const start = lines[1]!.indexOf('unknown syscall');
    expect(lines[2]!.slice(0, start).trim()).to.equal('');
    expect(lines[2]!.slice(start)).to.match(/^\S/);
  });

  it('lint piped: one line per finding, as long as it takes', () => {
    const out = renderLint(lint, tableView({ color: false }, 'table'));
    expect(out.split('\n')[1]).to.match(new RegExp(`unknown-syscall  ${MESSAGE.replace(/[()?"]/g, '\\$&')}$`));
  });

  it('lint -o wide: each finding starts with FILE:LINE:COL', () => {
    const out = renderLint(lint, tableView({ color: false, width: 80 }, 'wide'));
    expect(out.split('\n')[1]).to.match(/^ {2}profiles\/web\.json:9:20 {2}error /);
  });

  it('push fits its table and warnings to 80 columns', () => {
    const out = renderPush(push, tableView({ color: false, width: 80 }, 'table'));
    fits(out, 80);
    expect(out).to.match(/\n {2}PATH +OUTCOME +SHA256\n {2}kubectl-seccomp\/web\.json +error +bbbbbbbbbbbb\n {6}a file this tool/);
    expect(out).to.match(/\n {2}! runc 1\.1\.12 takes no seccomp flags.*\n {4}\S/);
  });

  it('push -o wide: the whole digest, the local file and the localhostProfile value', () => {
    const out = renderPush(push, tableView({ color: false, width: 80 }, 'wide'));
    expect(out).to.match(/PATH +OUTCOME +SHA256 +SOURCE +LOCALHOSTPROFILE/);
    expect(out).to.match(new RegExp(`error +${'b'.repeat(64)} +profiles/web\\.json +kubectl-seccomp/web\\.json +a file`));
  });
});
