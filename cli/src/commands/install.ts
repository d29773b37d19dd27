import * as Flags from '@oclif/core/flags';
import { READINESS_TAINT_FLAG, READINESS_TAINT_KEY } from '@kubectl-seccomp/proto';
import { BaseCommand } from '../command.js';
import { parseDurationMs } from '../duration.js';
import { outputFlag } from '../flags.js';
import { formatData } from '../output/format.js';

export default class Install extends BaseCommand {
  static override summary = 'Install the agent DaemonSet (namespace, service account, RBAC) on the cluster.';
  static override description = `Applies the manifests of manifests/base (embedded in this binary) with server-side apply, then waits until the agent runs on every node and names the nodes where it does not.
Exit status: 0 when the agent is ready everywhere (or --no-wait), 1 when the wait timed out, 2 when the apply failed.
Readiness gate: a node registered with the taint ${READINESS_TAINT_KEY}:NoSchedule takes no pods until its agent has written every recorded profile; the agent then removes the taint (once; manifests/base/readiness.yaml grants that, narrowed by an admission policy to its own node and that taint). Add it where the kubelet registers: ${READINESS_TAINT_FLAG}, or in the KubeletConfiguration:
  registerWithTaints:
  - key: ${READINESS_TAINT_KEY}
    effect: NoSchedule
It applies when a node registers (new nodes); taint existing nodes by hand if you want them gated: kubectl taint nodes NODE ${READINESS_TAINT_KEY}=:NoSchedule`;
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --image registry.example/seccomp-agent:0.1.0 --agent-namespace seccomp',
    '<%= config.bin %> <%= command.id %> --dry-run -o yaml | kubectl apply -f -',
  ];
  static override flags = {
    image: Flags.string({ description: 'Agent image. [default: the image manifests/base sets]' }),
    // One name for the agent namespace on every command; -n/--namespace kept as hidden aliases.
    'agent-namespace': Flags.string({ aliases: ['namespace'], charAliases: ['n'], description: 'Namespace for the agent.', default: 'kubectl-seccomp' }),
    'dry-run': Flags.boolean({ description: 'Print the manifests (-o yaml|json); apply nothing.' }),
    wait: Flags.boolean({ description: 'Wait for the DaemonSet to be ready on every node.', default: true, allowNo: true }),
    timeout: Flags.string({ description: 'How long to wait (e.g. 90s, 5m).', default: '5m' }),
    'force-conflicts': Flags.boolean({ description: 'Take over fields another field manager owns.' }),
    kubeconfig: Flags.string({ description: 'Path to the kubeconfig file (KUBECONFIG is honoured like kubectl).' }),
    context: Flags.string({ description: 'The kubeconfig context to use.' }),
    output: outputFlag,
  };

  public async run(): Promise<void> {
    const { flags } = await this.parse(Install);
    // client-node and the manifests are loaded only by the command that uses them.
    const [{ loadKubeConfig }, { install }, { defaultImage, manifestsYaml, renderManifests }, { renderInstall }] = await Promise.all([
      import('../kube/config.js'),
      import('../services/install/apply.js'),
      import('../services/install/render.js'),
      import('../ui/install.js'),
    ]);
    const image = flags.image ?? defaultImage();
    const objects = renderManifests({ image, namespace: flags['agent-namespace'] });
    if (flags['dry-run']) {
      this.log(flags.output === 'json' ? JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2) : manifestsYaml(objects).trimEnd());
      return;
    }
    const kc = loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
    const report = await install(kc, objects, {
      namespace: flags['agent-namespace'],
      image,
      forceConflicts: flags['force-conflicts'],
      wait: flags.wait,
      timeoutMs: parseDurationMs(flags.timeout),
      progress: (line) => process.stderr.write(`${line}\n`),
    });
    this.log(flags.output === 'table' ? renderInstall(report) : await formatData(report, flags.output));
    if (report.rollout && !report.rollout.complete) this.exit(1);
  }
}
