import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../command.js';
import { diagnostics } from '../diagnostics.js';
import { targetFlags, toTargetFlags, wideOutputFlag } from '../flags.js';
import { formatData } from '../output/format.js';
import { withTargets } from '../services/session.js';

export default class Push extends BaseCommand {
  static override summary = 'Validate seccomp profiles and install them on every selected node.';
  static override description = `Files and directories (every *.json under them; a file keeps its path relative to the directory given); without any, the shipped catalog. Everything is parsed and validated first: one invalid profile and nothing is sent (exit 1). Each node then gets each profile flattened for its architecture and kernel (Docker-format archMap/includes/excludes resolved, as its runtime would enforce it); only files whose digest differs are sent.
Profiles land under --prefix in the node's profile dir; the report prints the localhostProfile value for each.
Exit status: 0 when every node is in sync, 1 when a file or node failed, 2 when a node could not be reached.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> profiles/',
    '<%= config.bin %> <%= command.id %> web.json --audit --dry-run',
    '<%= config.bin %> <%= command.id %> profiles/ --prune -l node-role.kubernetes.io/worker=',
    '<%= config.bin %> <%= command.id %> --local web.json',
  ];
  static override strict = false;
  static override usage = '<%= command.id %> [PATH...] [flags]';
  static override args = { path: Args.string({ description: 'Profile file or directory. [default: the shipped catalog]' }) };
  static override flags = {
    ...targetFlags,
    output: wideOutputFlag,
    prefix: Flags.string({ description: 'Directory under the profile dir the profiles go to ("" for none).', default: 'kubectl-seccomp' }),
    'dry-run': Flags.boolean({ description: 'Ask each agent what would change; change nothing.' }),
    prune: Flags.boolean({
      description: 'Delete profiles this tool installed earlier that are not pushed now; refused (exit 1, naming the pods) while a live pod references one.',
    }),
    force: Flags.boolean({
      description:
        'Do it anyway: overwrite files at the same paths that this tool did not write (reported as adopted, managed from then on), and with --prune delete profiles pods still reference.',
    }),
    'allow-unknown': Flags.boolean({ description: 'Push even with unknown syscall names in ALLOW rules (lint warns instead of refusing).' }),
    audit: Flags.boolean({ description: 'Turn every denial into SCMP_ACT_LOG: observe with watch before enforcing.' }),
    'log-denials': Flags.boolean({ description: 'Add SECCOMP_FILTER_FLAG_LOG so ERRNO/TRAP denials are logged (runc >= 1.2).' }),
    record: Flags.boolean({
      allowNo: true,
      default: true,
      description:
        "Kubernetes mode: record the profiles as ConfigMaps, the desired state every agent converges on (nodes that join later too; with --node/--node-selector as well, since a node's agent would otherwise restore the recorded version). --no-record: sync the nodes only.",
    }),
  };

  public async run(): Promise<void> {
    const { argv, flags } = await this.parse(Push);
    // Profiles and the syscall tables are loaded only by the commands that use them.
    const [{ loadLocalProfiles, normalizePrefix }, { runPush, pushExitCode }, { renderPush }, { tableView }, { terminalOf }] = await Promise.all([
      import('../services/push/local-profiles.js'),
      import('../services/push/run.js'),
      import('../ui/push.js'),
      import('../ui/table.js'),
      import('../ui/terminal.js'),
    ]);
    const prefix = normalizePrefix(flags.prefix);
    const warn = (line: string): void => void process.stderr.write(`${line}\n`);
    const local = await loadLocalProfiles(argv as string[], prefix, { allowUnknown: flags['allow-unknown'], warn });
    // Absent boolean flags are undefined: the report says false.
    const modes = {
      audit: flags.audit === true,
      logDenials: flags['log-denials'] === true,
      prune: flags.prune === true,
      dryRun: flags['dry-run'] === true,
      force: flags.force === true,
      prefix,
    };
    const log = diagnostics(flags.verbose);
    const render = async (out: Awaited<ReturnType<typeof runPush>>): Promise<string> =>
      flags.output === 'table' || flags.output === 'wide'
        ? renderPush(out, tableView(terminalOf(process.stdout, true), flags.output))
        : await formatData(out, flags.output);
    const out = await withTargets(toTargetFlags(flags), log, async (set, signal) => {
      const partial = await runPush(set, local, {
        ...modes,
        force: flags.force === true,
        record: flags.record,
        concurrency: flags.concurrency,
        timeoutMs: flags.timeout,
        signal,
        log,
      });
      // Interrupted (exit 130): still say which nodes were synced before Ctrl-C and which were not.
      if (signal.aborted) this.log(await render(partial));
      return partial;
    });
    this.log(await render(out));
    const code = pushExitCode(out);
    if (code !== 0) this.exit(code);
  }
}
