import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../command.js';
import { outputFlag } from '../flags.js';
import { formatData } from '../output/format.js';

export default class Diff extends BaseCommand {
  static override summary = 'Compare two seccomp profiles by what they let each syscall do.';
  static override description = `A and B are files or catalog names. Both are flattened for each kind of node (architecture, --kernel) as its runtime would enforce them, then compared call by call: newly allowed (+), newly denied (-), other action or argument conditions (~), the default action, the covered sub-architectures and flags. Order, grouping and Docker-format spelling are no change.
Exit status: 1 when B allows anything A did not (with --any-change: when anything differs), 0 otherwise, 2 when a profile cannot be read. The CI gate: diff the committed profile against a newly recorded one.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> web.json recorded/web.json',
    '<%= config.bin %> <%= command.id %> runtime-default web.json --arch SCMP_ARCH_X86_64 -o json',
    '<%= config.bin %> <%= command.id %> committed.json recorded.json --any-change',
  ];
  static override args = {
    a: Args.string({ description: 'The profile compared against: a file or a catalog name.', required: true }),
    b: Args.string({ description: 'The profile that may have changed: a file or a catalog name.', required: true }),
  };
  static override flags = {
    output: outputFlag,
    'any-change': Flags.boolean({ description: 'Exit 1 on any difference, not only on calls B newly allows.' }),
    arch: Flags.string({ description: 'Compare for this SCMP_ARCH_* only (repeatable). [default: every native arch either profile is for]', multiple: true }),
    kernel: Flags.string({ description: 'The nodes\' kernel release (uname -r) for minKernel conditions. [default: every condition met]' }),
  };

  public async run(): Promise<void> {
    const { args, flags } = await this.parse(Diff);
    const [{ readDiffSide }, { runDiff, diffExitCode }, { renderDiff }] = await Promise.all([
      import('../services/diff/sides.js'),
      import('../services/diff/run.js'),
      import('../ui/diff.js'),
    ]);
    const [a, b] = await Promise.all([readDiffSide(args.a), readDiffSide(args.b)]);
    const out = runDiff(a, b, { arches: flags.arch ?? [], kernel: flags.kernel });
    this.log(flags.output === 'table' ? renderDiff(out) : await formatData(out, flags.output));
    const code = diffExitCode(out, flags['any-change'] === true);
    if (code !== 0) this.exit(code);
  }
}
