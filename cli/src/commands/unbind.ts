import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../command.js';
import { outputFlag } from '../flags.js';
import { formatData } from '../output/format.js';

export default class Unbind extends BaseCommand {
  static override summary = 'Remove the seccompProfile fields bind set on a workload, and nothing else.';
  static override description =
    'A server-side apply of an empty configuration as field manager kubectl-seccomp: the API server removes the fields bind set (unless another manager also set them); the workload is left as it was before bind.';
  static override examples = ['<%= config.bin %> <%= command.id %> deploy/web -n shop'];
  static override args = {
    workload: Args.string({
      description: 'deploy/NAME, sts/NAME, ds/NAME or cronjob/NAME (not job/NAME: a Job cannot take another pod template).',
      required: true,
    }),
  };
  static override flags = {
    output: outputFlag,
    namespace: Flags.string({ char: 'n', description: "The workload's namespace. [default: the context's]" }),
    'dry-run': Flags.boolean({ description: 'Show the patch (server-side dry run); change nothing.' }),
    kubeconfig: Flags.string({ description: 'Path to the kubeconfig file (KUBECONFIG is honoured like kubectl).' }),
    context: Flags.string({ description: 'The kubeconfig context to use.' }),
  };

  public async run(): Promise<void> {
    const { args, flags } = await this.parse(Unbind);
    const [{ runUnbind }, { renderUnbind }, { loadKubeConfig }, { contextNamespace }] = await Promise.all([
      import('../services/bind/run.js'),
      import('../ui/bind.js'),
      import('../kube/config.js'),
      import('../kube/workloads.js'),
    ]);
    const kc = loadKubeConfig(flags);
    const out = await runUnbind(kc, args.workload, { namespace: contextNamespace(kc, flags.namespace), dryRun: flags['dry-run'] === true });
    this.log(flags.output === 'table' ? renderUnbind(out) : await formatData(out, flags.output));
  }
}
