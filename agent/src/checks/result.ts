import type { CheckResult, CheckStatus } from '@kubectl-seccomp/proto';

function result(status: CheckStatus) {
  return (id: string, summary: string, detail = '', remedy = ''): CheckResult => ({
    id,
    status,
    summary,
    detail,
    // Remedies are for problems only.
    remedy: status === 'pass' || status === 'skip' ? '' : remedy,
  });
}

export const pass = result('pass');
export const warn = result('warn');
export const fail = result('fail');
export const skip = result('skip');

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
