import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../command.js';
import { diagnostics } from '../diagnostics.js';
import { durationFlag, outputFlag, targetFlags, toTargetFlags } from '../flags.js';
import { formatData } from '../output/format.js';
import { withTargets } from '../services/session.js';

export default class Record extends BaseCommand {
  static override summary = 'Record what a workload needs: run it under an audit-mode base, then write one profile per container.';
  static override description = `WORKLOAD is deploy/NAME, sts/NAME, ds/NAME, job/NAME, cronjob/NAME or pod/NAME (-n, default the context's namespace).
Pushes the base (--base, or the catalog's runtime-default) in audit mode, binds it to the workload's containers (server-side apply as kubectl-seccomp), waits for the rollout, and watches the workload's pods (by owner references: replaced and new replicas too). A pod, and a Job's pods (a Job's pod template cannot change), are recorded as they run, under the profile they have (give it as --base): nothing is pushed or bound.
At --duration, once --until-idle passes without a new syscall, or at Ctrl-C, it writes WORKLOAD_CONTAINER.json per container into --out: the base's allow list plus what the container's replicas were logged doing, merged, linted. Then the workload's fields are restored exactly (only what this tool set is removed, an earlier bind put back), or with --apply the new profiles are pushed and bound instead. An interrupted record always restores.
Exit status: 0 recorded; 1 the push, bind or rollout failed (the workload restored); 2 a node could not be watched, or a usage error; 130 interrupted (profiles written, workload restored).`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> deploy/web -n shop --duration 10m',
    '<%= config.bin %> <%= command.id %> sts/db -n shop --base db.json --until-idle 2m --out profiles/',
    '<%= config.bin %> <%= command.id %> deploy/web -n shop --duration 30m --apply',
  ];
  static override usage = '<%= command.id %> WORKLOAD [flags]';
  static override args = { workload: Args.string({ description: 'deploy/NAME, sts/NAME, ds/NAME, job/NAME, cronjob/NAME or pod/NAME.', required: true }) };
  static override flags = {
    ...targetFlags,
    output: outputFlag,
    namespace: Flags.string({ char: 'n', description: "The workload's namespace. [default: the context's]" }),
    base: Flags.string({ description: "The profile to run in audit mode and add to. [default: the catalog's runtime-default]" }),
    out: Flags.string({ description: 'Directory the profiles are written to.', default: '.' }),
    duration: durationFlag({ description: 'Record this long after the rollout (e.g. 10m).' }),
    'until-idle': durationFlag({ description: 'Stop once no new syscall was logged for this long (e.g. 2m).' }),
    apply: Flags.boolean({ description: 'Push the recorded profiles and bind them, instead of restoring the workload.' }),
    'rollout-timeout': durationFlag({ description: 'How long the rollout may take.', default: 300_000, defaultHelp: async () => '5m' }),
  };

  public async run(): Promise<void> {
    const { args, flags } = await this.parse(Record);
    const [{ runRecord }, { renderRecord, recordReporter }, { loadKubeConfig }, { contextNamespace }, { parseWorkloadRef }] = await Promise.all([
      import('../services/record/run.js'),
      import('../ui/record.js'),
      import('../kube/config.js'),
      import('../kube/workloads.js'),
      import('../services/bind/workload.js'),
    ]);
    // A mistyped WORKLOAD fails before any node is dialled.
    parseWorkloadRef(args.workload, { fixed: true });
    const kc = loadKubeConfig(flags);
    const log = diagnostics(flags.verbose);
    const render = async (out: Awaited<ReturnType<typeof runRecord>>): Promise<string> =>
      flags.output === 'table' ? renderRecord(out) : await formatData(out, flags.output);
    const opts = {
      namespace: contextNamespace(kc, flags.namespace),
      agentNamespace: flags['agent-namespace'],
      base: flags.base,
      outDir: flags.out,
      durationMs: flags.duration,
      idleMs: flags['until-idle'],
      apply: flags.apply === true,
      rolloutTimeoutMs: flags['rollout-timeout'],
      reporter: recordReporter(process.stderr),
      concurrency: flags.concurrency,
      timeoutMs: flags.timeout,
      log,
    };
    const out = await withTargets(toTargetFlags(flags), log, async (set, signal) => {
      const recorded = await runRecord(kc, set, args.workload, opts, signal);
      // Interrupted (exit 130): the profiles were written and the workload restored; say so.
      if (signal.aborted) this.log(await render(recorded));
      return recorded;
    });
    this.log(await render(out));
  }
}
