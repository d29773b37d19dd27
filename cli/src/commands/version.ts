import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../command.js';
import { diagnostics } from '../diagnostics.js';
import { outputFlag, targetFlags, toTargetFlags } from '../flags.js';
import { formatData } from '../output/format.js';
import { withTargets } from '../services/session.js';

export default class Version extends BaseCommand {
  static override summary = 'Show the version of the CLI and of each node agent, and the Node.js each runs on.';
  static override description = `Without --client, asks the agent on every selected node which version it is and on which Node.js it runs.
Exit status: 0 when every agent answered, 2 when one could not be asked.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --client -o json',
    '<%= config.bin %> <%= command.id %> --agent node-a=10.0.0.5:9443 --tls-ca ca.pem',
  ];
  static override flags = {
    ...targetFlags,
    output: outputFlag,
    client: Flags.boolean({ description: 'Only the CLI: ask no agent.', exclusive: ['agent', 'agents-file', 'local'] }),
  };

  public async run(): Promise<void> {
    const { flags } = await this.parse(Version);
    const [{ clientVersion, runVersion, versionExitCode }, { clientLine, renderAgentVersions }] = await Promise.all([
      import('../services/version.js'),
      import('../ui/version.js'),
    ]);
    const client = clientVersion(this.config.version);
    const { output } = flags;
    // The CLI's own line first, whatever happens with the agents.
    if (output === 'table') this.log(clientLine(client));
    if (flags.client) {
      if (output !== 'table') this.log(await formatData({ client, agents: [] }, output));
      return;
    }
    const log = diagnostics(flags.verbose);
    const out = await withTargets(toTargetFlags(flags), log, (set, signal) =>
      runVersion(client, set, { concurrency: flags.concurrency, timeoutMs: flags.timeout, signal, log }),
    );
    this.log(output === 'table' ? renderAgentVersions(out) : await formatData(out, output));
    const code = versionExitCode(out);
    if (code !== 0) this.exit(code);
  }
}
