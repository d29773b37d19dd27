import * as Args from '@oclif/core/args';
import { BaseCommand } from '../command.js';
import { diagnostics } from '../diagnostics.js';
import { targetFlags, toTargetFlags, wideOutputFlag } from '../flags.js';
import { formatData } from '../output/format.js';
import { withTargets } from '../services/session.js';

export default class Status extends BaseCommand {
  static override summary = 'Which nodes have each profile, which containers use it, and which of them need a restart.';
  static override description = `For each profile (or only PROFILE, a localhostProfile value): every node's copy (sha256, when it was written, whether it is the version push recorded), then the containers of live pods whose effective seccompProfile it is. A container started before its node's copy was last written is STALE (the runtime read the profile at start: restart it to get the new version); one whose process does not run in seccomp filter mode although its spec names a profile is NOT FILTERED.
Exit status: 0 when all is in order, 1 when a profile is out of sync or a container is stale or not filtered, 2 when a node could not be asked.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> kubectl-seccomp/web.json -o json',
    '<%= config.bin %> <%= command.id %> -o wide',
  ];
  static override args = { profile: Args.string({ description: 'Only this localhostProfile.' }) };
  static override flags = { ...targetFlags, output: wideOutputFlag };

  public async run(): Promise<void> {
    const { args, flags } = await this.parse(Status);
    const [{ runStatus, statusExitCode }, { renderStatus }, { loadKubeConfig }, { tableView }, { terminalOf }] = await Promise.all([
      import('../services/status/run.js'),
      import('../ui/status.js'),
      import('../kube/config.js'),
      import('../ui/table.js'),
      import('../ui/terminal.js'),
    ]);
    const kc = loadKubeConfig(flags);
    const log = diagnostics(flags.verbose);
    const opts = { agentNamespace: flags['agent-namespace'], only: args.profile, concurrency: flags.concurrency, timeoutMs: flags.timeout, log };
    const out = await withTargets(toTargetFlags(flags), log, (set, signal) => runStatus(kc, set, { ...opts, signal }));
    const { output } = flags;
    this.log(output === 'table' || output === 'wide' ? renderStatus(out, tableView(terminalOf(process.stdout, true), output)) : await formatData(out, output));
    const code = statusExitCode(out);
    if (code !== 0) this.exit(code);
  }
}
