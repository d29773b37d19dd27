import type { CheckResult } from '@kubectl-seccomp/proto';
import type { NodeFacts } from './facts.js';
import { fail, pass, warn } from './result.js';

const ID = 'kernel.audit';

/** `name=value` of the kernel command line, the last occurrence. */
export function cmdlineParam(cmdline: string, name: string): string | undefined {
  return cmdline
    .split(/\s+/)
    .filter((w) => w.startsWith(`${name}=`))
    .map((w) => w.slice(name.length + 1))
    .at(-1);
}

export function checkKernelAudit(facts: NodeFacts): CheckResult {
  const { config, configSource, cmdline } = facts.kernel;
  if (config !== undefined) {
    const missing = ['CONFIG_AUDIT', 'CONFIG_AUDITSYSCALL'].filter((c) => config[c] !== 'y');
    if (missing.length > 0) {
      return fail(
        ID,
        'the kernel is built without audit: it writes no seccomp records',
        `${configSource}: ${missing.map((c) => `${c}=${config[c] ?? 'unset'}`).join(', ')}. Seccomp still filters, but no violation can be watched on this node.`,
        'Use a kernel built with CONFIG_AUDIT=y and CONFIG_AUDITSYSCALL=y.',
      );
    }
  }
  if (cmdlineParam(cmdline, 'audit') === '0') {
    return warn(
      ID,
      'audit=0 on the kernel command line',
      'The audit subsystem is disabled at boot; seccomp records may not be emitted at all.',
      'Remove audit=0 from the kernel command line (bootloader config) and reboot.',
    );
  }
  return pass(ID, 'the kernel can emit seccomp audit records', configSource ? `Checked ${configSource}.` : 'Kernel config not readable; assumed.');
}
