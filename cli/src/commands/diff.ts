import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../command.js';
import { withTargets } from '../services/session.js';
import { diagnostics } from '../diagnostics.js';
import { targetFlags, toTargetFlags, wideOutputFlag } from '../flags.js';
import { formatData } from '../output/format.js';
import type { NodeProfileReader } from '../services/diff/sides.js';

export default class Diff extends BaseCommand {
  static override summary = 'Compare two seccomp profiles by what they let each syscall do.';
  static override description = `A and B are files, catalog names, or node/NAME:PATH (that node's copy, read through its agent when it is the recorded version). Both are flattened for each kind of node (architecture, --kernel) as its runtime would enforce them, then compared call by call: newly allowed (+), newly denied (-), other action or argument conditions (~), the default action, the covered sub-architectures and flags. Order, grouping and Docker-format spelling are no change.
Exit status: 1 when B allows anything A did not (with --any-change: when anything differs), 0 otherwise, 2 when a profile cannot be read. The CI gate: diff the committed profile against a newly recorded one.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> web.json recorded/web.json',
    '<%= config.bin %> <%= command.id %> runtime-default web.json --arch SCMP_ARCH_X86_64 -o json',
    '<%= config.bin %> <%= command.id %> committed.json recorded.json --any-change',
  ];
  static override args = {
    a: Args.string({ description: 'The profile compared against: a file, a catalog name or node/NAME:PATH.', required: true }),
    b: Args.string({ description: 'The profile that may have changed: a file, a catalog name or node/NAME:PATH.', required: true }),
  };
  static override flags = {
    ...targetFlags,
    output: wideOutputFlag,
    'any-change': Flags.boolean({ description: 'Exit 1 on any difference, not only on calls B newly allows.' }),
    arch: Flags.string({ description: 'Compare for this SCMP_ARCH_* only (repeatable). [default: every native arch either profile is for]', multiple: true }),
    kernel: Flags.string({ description: "The nodes' kernel release (uname -r) for minKernel conditions. [default: every condition met]" }),
  };

  public async run(): Promise<void> {
    const { args, flags } = await this.parse(Diff);
    const [{ readDiffSide }, { runDiff, diffExitCode }, { renderDiff }, { tableView }, { terminalOf }] = await Promise.all([
      import('../services/diff/sides.js'),
      import('../services/diff/run.js'),
      import('../ui/diff.js'),
      import('../ui/table.js'),
      import('../ui/terminal.js'),
    ]);
    const both = (reader?: NodeProfileReader) => Promise.all([readDiffSide(args.a, reader), readDiffSide(args.b, reader)]);
    // Nodes are reached only when a side names one.
    const onNode = [args.a, args.b].some((x) => x.startsWith('node/'));
    const log = diagnostics(flags.verbose);
    const [a, b] = onNode
      ? await withTargets(toTargetFlags(flags), log, async (set, signal) => {
          const [{ nodeCopyReader }, { loadKubeConfig }] = await Promise.all([import('../services/diff/node-copy.js'), import('../kube/config.js')]);
          return both(
            nodeCopyReader(loadKubeConfig(flags), set, flags['agent-namespace'], { concurrency: flags.concurrency, timeoutMs: flags.timeout, signal, log }),
          );
        })
      : await both();
    const out = runDiff(a, b, { arches: flags.arch ?? [], kernel: flags.kernel });
    const { output } = flags;
    this.log(output === 'table' || output === 'wide' ? renderDiff(out, tableView(terminalOf(process.stdout, true), output)) : await formatData(out, output));
    const code = diffExitCode(out, flags['any-change'] === true);
    if (code !== 0) this.exit(code);
  }
}
