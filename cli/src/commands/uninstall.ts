import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../command.js';
import { outputFlag } from '../flags.js';
import { formatData } from '../output/format.js';

export default class Uninstall extends BaseCommand {
  static override summary = 'Remove what install created: the agent DaemonSet, its RBAC and its namespace.';
  static override description = `Deletes the objects of the embedded manifests (the namespace last, which also removes the profile ConfigMaps push kept there).
Profile files already written to the nodes stay where they are, so pods that use them keep starting; delete <kubelet root-dir>/seccomp/kubectl-seccomp/ on the nodes to remove them.`;
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --agent-namespace seccomp -o json'];
  static override flags = {
    // One name for the agent namespace on every command; -n/--namespace kept as hidden aliases.
    'agent-namespace': Flags.string({
      aliases: ['namespace'],
      charAliases: ['n'],
      description: 'Namespace the agent was installed in.',
      default: 'kubectl-seccomp',
    }),
    kubeconfig: Flags.string({ description: 'Path to the kubeconfig file (KUBECONFIG is honoured like kubectl).' }),
    context: Flags.string({ description: 'The kubeconfig context to use.' }),
    output: outputFlag,
  };

  public async run(): Promise<void> {
    const { flags } = await this.parse(Uninstall);
    const [{ loadKubeConfig }, { uninstall }, { renderManifests }, { renderUninstall }] = await Promise.all([
      import('../kube/config.js'),
      import('../services/install/apply.js'),
      import('../services/install/render.js'),
      import('../ui/install.js'),
    ]);
    const kc = loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
    const report = await uninstall(kc, renderManifests({ namespace: flags['agent-namespace'] }), flags['agent-namespace']);
    this.log(flags.output === 'table' ? renderUninstall(report) : await formatData(report, flags.output));
  }
}
