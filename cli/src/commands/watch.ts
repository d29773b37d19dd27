import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../command.js';
import { diagnostics } from '../diagnostics.js';
import { durationFlag, targetFlags, toTargetFlags } from '../flags.js';
import { withTargets } from '../services/session.js';

const FILTER = 'FILTER';

export default class Watch extends BaseCommand {
  static override summary = 'Stream seccomp violations from every selected node, live.';
  static override description = `Shows the seccomp violations (audit type=1326 records) the agents see, tied to namespace/pod/container: a live table on a terminal (keys: ? help, p pause, s sort, f or / filter, esc clear the filter, c clear the rows, q quit), JSON lines when stdout is not a terminal or with -o json (one object per violation; see --stats).
Only what the kernel logs can be seen: SCMP_ACT_LOG and KILL hits, and ERRNO/TRAP hits of profiles with SECCOMP_FILTER_FLAG_LOG (push --audit, doctor tells which nodes log).
A violation whose process exited before the agent could name it shows as "exited before it could be named" (its container id and pod uid when only those are known; "unnamed" in the header, "identity" in JSON). With -n/--pod/--container the agent cannot tell whether such a violation belongs to the pods asked for: it is not shown but counted ("unplaced" in the header, "unattributed" in --stats lines, a line on stderr at the end). With -l, a violation whose pod cannot be told is counted the same way ("unplaced" in --stats lines).
--suggest writes the profile to run with after an audit-mode trial: --base (or an ERRNO-by-default profile when no base is given) plus exactly the syscalls seen, with the blocking default restored. A directory (FILE ending in /) gets one profile per namespace_pod_container.json; what could not be tied to a pod is reported on stderr, not written. One FILE covers everything seen, and stderr names the syscalls only unnamed processes made.
Reconnecting after an agent restart, watch asks for what was logged meanwhile (agents with --state-dir deliver it, or count it as lost with a reason).
Exit status: 0 when the watch ended normally, 1 with --exit-on-violation when one was seen, 2 when a node could not be watched.`;
  static override examples = [
    'kubectl seccomp watch',
    'kubectl seccomp watch -n shop --pod cart-7d9f --action log',
    'kubectl seccomp watch -n shop -l app=cart --node-selector kubernetes.io/arch=arm64',
    'kubectl seccomp watch -n shop -o json --since 10m | jq .syscall',
    'kubectl seccomp watch -n ci --duration 5m --exit-on-violation',
    'kubectl seccomp watch -n shop --pod cart-7d9f --duration 30m --suggest cart.json --base audit-cart.json',
    'kubectl seccomp watch --agent node-a=10.0.0.5:9443 --syscall mkdir --syscall unshare',
  ];
  static override flags = {
    ...targetFlags,
    // kubectl's -l selects the objects listed: here the pods. Nodes are chosen by --node-selector.
    selector: Flags.string({
      char: 'l',
      description: 'Only pods with these labels (e.g. -l app=web,tier!=cache): the API server evaluates it; pods that start later are included.',
      helpGroup: FILTER,
      exclusive: ['local'],
    }),
    'node-selector': Flags.string({ description: 'Only nodes with these labels (e.g. kubernetes.io/os=linux).', helpGroup: 'KUBERNETES' }),
    output: Flags.option({
      char: 'o',
      description: 'table: the live view on a terminal (JSON lines when piped); wide: the live view with COMMAND and PID too; json: JSON lines.',
      options: ['table', 'wide', 'json'] as const,
      default: 'table' as const,
    })(),
    namespace: Flags.string({ char: 'n', description: 'Only pods in this namespace (repeatable).', multiple: true, helpGroup: FILTER }),
    // kubectl's habit; every namespace is already the default without -n.
    'all-namespaces': Flags.boolean({
      char: 'A',
      description: 'Pods in every namespace (the default without -n).',
      exclusive: ['namespace'],
      helpGroup: FILTER,
    }),
    pod: Flags.string({ description: 'Only this pod (repeatable).', multiple: true, helpGroup: FILTER }),
    container: Flags.string({ description: 'Only this container name (repeatable).', multiple: true, helpGroup: FILTER }),
    syscall: Flags.string({ description: 'Only this syscall, e.g. mkdir (repeatable).', multiple: true, helpGroup: FILTER }),
    action: Flags.string({ description: 'Only this action: log, errno, kill_process, SCMP_ACT_LOG, ... (repeatable).', multiple: true, helpGroup: FILTER }),
    since: durationFlag({ description: 'Also show violations from this long ago (e.g. 5m), where the node still has them.' }),
    duration: durationFlag({ description: 'Stop after this long (e.g. 30s, 10m).' }),
    'exit-on-violation': Flags.boolean({ description: 'Exit with status 1 at the first violation (0 when --duration passes without one): a CI gate.' }),
    stats: Flags.boolean({ description: 'JSON output: also write the agents\' stream stats as {"kind":"stats"} lines.' }),
    suggest: Flags.string({ description: 'On exit, write the suggested profile here (a DIR/ gets one file per container).' }),
    base: Flags.string({ description: 'The profile the watched containers ran with (e.g. the audit-mode one): --suggest adds to it.', dependsOn: ['suggest'] }),
  };

  public async run(): Promise<void> {
    const { flags } = await this.parse(Watch);
    // The stream merge, Ink and the syscall tables are loaded only when a watch runs.
    const [{ buildFilter, buildRequest }, { watchAndReport }, { watchReporter }, { podSelection }] = await Promise.all([
      import('../services/watch/filter.js'),
      import('../services/watch/watch.js'),
      import('../ui/watch/reporter.js'),
      import('../kube/pods.js'),
    ]);
    const filter = buildFilter({ namespaces: flags.namespace, pods: flags.pod, containers: flags.container, syscalls: flags.syscall, actions: flags.action });
    const request = buildRequest(filter, flags.since, Date.now());
    const live = flags.output !== 'json' && process.stdout.isTTY === true && process.stdin.isTTY === true;
    const pods = flags.selector === undefined ? undefined : podSelection(flags, flags.selector, filter.namespaces);
    const code = await withTargets(toTargetFlags(flags), diagnostics(flags.verbose), (set, signal) =>
      watchAndReport(
        set,
        {
          request,
          durationMs: flags.duration,
          exitOnViolation: flags['exit-on-violation'],
          suggest: flags.suggest,
          base: flags.base,
          pods,
          reporter: watchReporter({ live, wide: flags.output === 'wide', stats: flags.stats, stdout: process.stdout, stderr: process.stderr }),
        },
        signal,
      ),
    );
    if (code !== 0) this.exit(code);
  }
}
