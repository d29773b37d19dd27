import * as Args from '@oclif/core/args';
import { BaseCommand } from '../command.js';
import { completionScript, SHELLS } from '../services/completion/scripts.js';

export default class Completion extends BaseCommand {
  static override summary = 'Print a shell completion script (bash, zsh or fish).';
  static override description = `For \`kubectl seccomp\` itself, put the kubectl_complete-seccomp executable (beside kubectl-seccomp in this package) on PATH: kubectl >= 1.26 asks it.`;
  static override examples = [
    'source <(<%= config.bin %> <%= command.id %> bash)',
    '<%= config.bin %> <%= command.id %> zsh > "${fpath[1]}/_kubectl-seccomp"',
    '<%= config.bin %> <%= command.id %> fish | source',
  ];
  static override usage = '<%= command.id %> bash|zsh|fish';
  static override args = { shell: Args.string({ description: 'The shell.', options: [...SHELLS], required: true }) };

  public async run(): Promise<void> {
    const { args } = await this.parse(Completion);
    this.log(completionScript(args.shell as (typeof SHELLS)[number], 'kubectl-seccomp'));
  }
}
