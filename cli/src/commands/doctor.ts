import { BaseCommand } from '../command.js';
import { diagnostics } from '../diagnostics.js';
import { noColorFlag, strictFlag, targetFlags, toTargetFlags, wideOutputFlag } from '../flags.js';
import { formatData } from '../output/format.js';
import { withTargets } from '../services/session.js';

export default class Doctor extends BaseCommand {
  static override summary = 'Check that seccomp will work on each node, and say how to fix it where it will not.';
  static override description = `Asks the agent on every selected node for its checks: kernel seccomp support and logging, the kubelet's seccompDefault and profile dir, the container runtime, where violations are logged, and which containers really run confined. In a cluster it adds cluster-wide checks (Pod Security admission, agent rollout).
Exit status: 0 when nothing failed, 1 when a check failed (with --strict: or warned), 2 when a node could not be checked.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> -l node-role.kubernetes.io/worker= -o json',
    '<%= config.bin %> <%= command.id %> --local -o wide',
    '<%= config.bin %> <%= command.id %> --agent node-a=10.0.0.5:9443 --tls-ca ca.pem',
  ];
  static override flags = { ...targetFlags, output: wideOutputFlag, strict: strictFlag, 'no-color': noColorFlag };

  public async run(): Promise<void> {
    const { flags } = await this.parse(Doctor);
    const [{ doctorExitCode, runDoctor }, { renderDoctor }, { terminalOf }] = await Promise.all([
      import('../services/doctor.js'),
      import('../ui/doctor.js'),
      import('../ui/terminal.js'),
    ]);
    const log = diagnostics(flags.verbose);
    const out = await withTargets(toTargetFlags(flags), log, (set, signal) =>
      runDoctor(set, { concurrency: flags.concurrency, timeoutMs: flags.timeout, signal, log }),
    );
    const { output } = flags;
    const view = { ...terminalOf(process.stdout, flags['no-color']), wide: output === 'wide' };
    this.log(output === 'table' || output === 'wide' ? renderDoctor(out, view) : await formatData(out, output));
    const code = doctorExitCode(out, flags.strict);
    if (code !== 0) this.exit(code);
  }
}
