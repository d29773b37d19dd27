import * as Args from '@oclif/core/args';
import { Command } from '@oclif/core/command';
import { loadHelpClass } from '@oclif/core/help';

/** `kubectl seccomp help doctor`, as kubectl has it: the same text as `doctor --help`. */
export default class Help extends Command {
  static override summary = 'Help for a command.';
  static override usage = '<%= command.id %> [COMMAND]';
  static override args = { command: Args.string({ description: 'The command to explain.' }) };
  static override strict = false;
  static override examples = ['<%= config.bin %> <%= command.id %> doctor'];

  public async run(): Promise<void> {
    const { argv } = await this.parse(Help);
    const HelpClass = await loadHelpClass(this.config);
    await new HelpClass(this.config, this.config.pjson.oclif.helpOptions).showHelp(argv as string[]);
  }
}
