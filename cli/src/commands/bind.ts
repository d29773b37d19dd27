import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../command.js';
import { diagnostics } from '../diagnostics.js';
import { outputFlag, targetFlags, toTargetFlags } from '../flags.js';
import { formatData } from '../output/format.js';
import { withTargets } from '../services/session.js';

export default class Bind extends BaseCommand {
  static override summary = "Set a workload's seccompProfile to a Localhost profile, once every node its pods may run on has it.";
  static override description = `WORKLOAD is deploy/NAME, sts/NAME, ds/NAME or cronjob/NAME (not job/NAME: a Job's pod template cannot change); PROFILE is the localhostProfile value push reports (e.g. kubectl-seccomp/web.json). The pod template's securityContext gets it (--container: that container's).
Before anything changes, every node the pods can be scheduled to (nodeName, nodeSelector, required node affinity, taints against tolerations, cordons) must hold the profile as recorded by push (same digest once rendered for the node); otherwise nothing is applied and the nodes are named (exit 1), unless --force. The change is a server-side apply as field manager kubectl-seccomp: \`unbind\` removes exactly what it set.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> deploy/web kubectl-seccomp/web.json -n shop',
    '<%= config.bin %> <%= command.id %> sts/db kubectl-seccomp/db.json --container postgres --dry-run -o yaml',
  ];
  static override args = {
    workload: Args.string({
      description: 'deploy/NAME, sts/NAME, ds/NAME or cronjob/NAME (not job/NAME: a Job cannot take another pod template).',
      required: true,
    }),
    profile: Args.string({ description: "The localhostProfile, relative to the kubelet's seccomp dir (e.g. kubectl-seccomp/web.json).", required: true }),
  };
  static override flags = {
    ...targetFlags,
    output: outputFlag,
    namespace: Flags.string({ char: 'n', description: "The workload's namespace. [default: the context's]" }),
    container: Flags.string({ char: 'c', description: 'Bind this container only (init containers too).' }),
    force: Flags.boolean({ description: 'Apply even when some eligible node lacks the profile or has another version.' }),
    'dry-run': Flags.boolean({ description: 'Check and show the patch (server-side dry run); change nothing.' }),
  };

  public async run(): Promise<void> {
    const { args, flags } = await this.parse(Bind);
    const [{ runBind }, { renderBind }, { loadKubeConfig }, { contextNamespace }] = await Promise.all([
      import('../services/bind/run.js'),
      import('../ui/bind.js'),
      import('../kube/config.js'),
      import('../kube/workloads.js'),
    ]);
    const kc = loadKubeConfig(flags);
    const log = diagnostics(flags.verbose);
    const opts = {
      namespace: contextNamespace(kc, flags.namespace),
      agentNamespace: flags['agent-namespace'],
      localhostProfile: args.profile,
      container: flags.container,
      force: flags.force === true,
      dryRun: flags['dry-run'] === true,
      concurrency: flags.concurrency,
      timeoutMs: flags.timeout,
      log,
    };
    const out = await withTargets(toTargetFlags(flags), log, (set, signal) => runBind(kc, set, args.workload, { ...opts, signal }));
    this.log(flags.output === 'table' ? renderBind(out) : await formatData(out, flags.output));
  }
}
