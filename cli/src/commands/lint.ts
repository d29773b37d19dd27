import { text } from 'node:stream/consumers';
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../command.js';
import { formatData } from '../output/format.js';
import { strictFlag, wideOutputFlag } from '../flags.js';
import { lintExitCode, lintPaths } from '../services/lint.js';
import { renderLint } from '../ui/lint.js';
import { tableView } from '../ui/table.js';
import { terminalOf } from '../ui/terminal.js';

export default class Lint extends BaseCommand {
  static override summary = 'Check seccomp profiles for errors and for what runtimes would silently ignore.';
  static override description = `Files and directories (every *.json under them); "-" reads stdin. Reports JSON syntax and schema errors, then lint findings: fields containerd ignores, syscall names libseccomp does not know, actions that are never logged, and more.
Exit status: 0 when no errors (with --strict: no warnings either), 1 otherwise, 2 when a file cannot be read.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> profiles/',
    '<%= config.bin %> <%= command.id %> web.json worker.json --strict',
    '<%= config.bin %> <%= command.id %> profiles/ -o wide',
    'cat web.json | <%= config.bin %> <%= command.id %> - -o json',
  ];
  static override strict = false;
  static override usage = '<%= command.id %> PATH... [flags]';
  static override args = { path: Args.string({ description: 'Profile file or directory ("-" for stdin).', required: true }) };
  static override flags = {
    output: wideOutputFlag,
    strict: strictFlag,
    'allow-unknown': Flags.boolean({ description: 'An unknown syscall name in an ALLOW rule is a warning, not an error.' }),
  };

  public async run(): Promise<void> {
    const { argv, flags } = await this.parse(Lint);
    const out = await lintPaths(argv as string[], () => text(process.stdin), { allowUnknown: flags['allow-unknown'] });
    const { output } = flags;
    this.log(output === 'table' || output === 'wide' ? renderLint(out, tableView(terminalOf(process.stdout, true), output)) : await formatData(out, output));
    const code = lintExitCode(out, flags.strict);
    if (code !== 0) this.exit(code);
  }
}
