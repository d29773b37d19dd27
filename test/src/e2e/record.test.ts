import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecordOutput } from '@kubectl-seccomp/cli';
import { loadCatalog, parseProfile, serializeProfile, type SeccompProfile } from '@kubectl-seccomp/profiles';
import { deployment, statefulSet, type KubeObject } from '../harness/apiserver/index.js';
import { CLI_BIN, spawnCli, TestCluster } from '../harness/cluster.js';
import { runContainer } from '../harness/runc.js';
import { WorkloadKubelet } from '../harness/workload-kubelet.js';
import { containerPrerequisites, skipUnless, waitFor } from './support.js';

/**
 * record against the test API server, two real agents and stand-in workload controllers + kubelet
 * (harness/workload-kubelet.ts) running each replica as a real runc container: replica 0 makes
 * directories, replica 1 changes modes, calls the base denies. The recorded profile must hold both
 * (merged per container over the replicas) on top of the base's allow list, and run both replicas'
 * work with every other call killing; the workload's spec must be the original afterwards.
 */

/** The calls each replica's work may use for its distinct step (the libc picks one of each pair). */
const MKDIR = ['mkdir', 'mkdirat'];
const CHMOD = ['chmod', 'fchmodat', 'fchmodat2'];
const STEPS = ['mkdir /tmp/r0 && rmdir /tmp/r0', 'touch /tmp/f && chmod 600 /tmp/f'];

/** runtime-default without the calls of the replicas' steps: what they do beyond it is logged in audit mode. */
async function baseProfile(): Promise<SeccompProfile> {
  const entry = (await loadCatalog()).find((e) => e.name === 'runtime-default')!;
  const denied = new Set([...MKDIR, ...CHMOD]);
  return {
    ...entry.profile,
    syscalls: entry.profile.syscalls!.map((r) => ({ ...r, names: r.names?.filter((n) => !denied.has(n)) })).filter((r) => r.names?.length !== 0),
  };
}

/** A replica repeats its step every second (a missed log record is seen again), reading stdin in between. */
const replicaCommand = (replica: number): string[] => ['/bin/sh', '-c', `while true; do ${STEPS[replica % 2]}; read -t 1 x; done`];

// A profile someone else set: record's forced apply takes it over, the restore must put it back.
const webSpec = { containers: [{ name: 'app', image: 'busybox', securityContext: { seccompProfile: { type: 'RuntimeDefault' }, privileged: false } }] };
const webDeployment = (): KubeObject => deployment('web', 'shop', webSpec);

const CLI_PACKAGE = fileURLToPath(new URL('../../../cli/package.json', import.meta.url));
const SCHEMAS = fileURLToPath(new URL('../../../cli/schemas/', import.meta.url));

interface Ajv {
  addSchema(schema: object): void;
  getSchema(id: string): ((data: unknown) => boolean) & { errors?: unknown };
}

/** The CLI's own ajv (2020-12) with every schema of cli/schemas, strict. */
function recordSchema(): (data: unknown) => boolean {
  // The test package has no ajv of its own: the CLI's, as its schema tests use it.
  const { Ajv2020 } = createRequire(CLI_PACKAGE)('ajv/dist/2020.js') as { Ajv2020: new (o: object) => Ajv };
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  for (const f of readdirSync(SCHEMAS)) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, f), 'utf8')) as object);
  const validate = ajv.getSchema('https://kubectl-seccomp.dev/schemas/record.json');
  return (data) => {
    if (validate(data)) return true;
    throw new Error(JSON.stringify(validate.errors, null, 2));
  };
}

describe('e2e: record a Deployment, a StatefulSet and a Job whose pods are real runc containers', function () {
  this.timeout(240_000);
  let cluster: TestCluster | undefined;
  let kubelet: WorkloadKubelet | undefined;
  let dir: string | undefined;
  let base: SeccompProfile;

  before(async function () {
    skipUnless(this, await containerPrerequisites());
    dir = await mkdtemp(join(tmpdir(), 'record-e2e-'));
    base = await baseProfile();
    await writeFile(join(dir, 'base.json'), serializeProfile(base));
    cluster = await TestCluster.start({ agentNodes: ['node-a', 'node-b'], namespaces: ['shop'] });
    kubelet = new WorkloadKubelet(cluster, (replica) => replicaCommand(replica));
    cluster.apply(webDeployment());
    await kubelet.settled();
  });

  after(async () => {
    await kubelet?.stop();
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const c = (): TestCluster => cluster!;
  const storedSpec = (): unknown =>
    c()
      .api.list('apps/v1', 'Deployment', 'shop')
      .find((d) => d.metadata.name === 'web')!['spec'];

  /** record WORKLOAD on the base until 6 s pass without a new call, -o json, into a new directory: exit 0 asserted. */
  const recordUntilIdle = async (workload: string, outName: string) => {
    const out = join(dir!, outName);
    await mkdir(out);
    const r = await c().cli(['record', workload, '-n', 'shop', '--base', join(dir!, 'base.json'), '--out', out, '--until-idle', '6s', '-o', 'json'], {
      timeoutMs: 180_000,
    });
    expect(r.code, r.stderr).to.equal(0);
    return { r, out, summary: JSON.parse(r.stdout) as RecordOutput };
  };

  it('record deploy/web: one profile for the container, the union of both replicas on the base, both run clean under it; the spec is restored', async () => {
    const { r, out, summary } = await recordUntilIdle('deploy/web', 'out');
    expect(recordSchema()(summary)).to.equal(true);
    expect(summary).to.deep.include({ workload: 'deployment/web', namespace: 'shop', stopped: 'idle', restored: true, applied: false });
    expect(summary.replicas, 'both replicas of the recorded template').to.have.length(2);
    expect(summary.events.attributed).to.be.greaterThan(0);
    expect(summary.containers.map((x) => x.container)).to.deep.equal(['app']);
    const [app] = summary.containers;
    expect(app!.file).to.equal(join(out, 'web_app.json'));
    expect(app!.pods, 'merged over both replicas').to.deep.equal(summary.replicas);
    expect(
      app!.added.some((s) => MKDIR.includes(s)),
      `replica 0's call in ${app!.added.join(' ')}`,
    ).to.equal(true);
    expect(
      app!.added.some((s) => CHMOD.includes(s)),
      `replica 1's call in ${app!.added.join(' ')}`,
    ).to.equal(true);
    expect(r.stderr).to.match(/waiting for the rollout|recording shop\/deployment\/web/);

    expect(await readdir(out)).to.deep.equal(['web_app.json']);
    const parsed = parseProfile(await readFile(app!.file, 'utf8'), app!.file);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const recorded = parsed.profile;
    const allowed = new Set(recorded.syscalls!.filter((x) => x.action === 'SCMP_ACT_ALLOW' && !x.args).flatMap((x) => x.names ?? []));
    const baseAllowed = base.syscalls!.filter((x) => x.action === 'SCMP_ACT_ALLOW' && !x.args).flatMap((x) => x.names ?? []);
    expect(
      baseAllowed.filter((n) => !allowed.has(n)),
      "the base's allow list is kept",
    ).to.deep.equal([]);
    expect(recorded.defaultAction).to.equal('SCMP_ACT_ERRNO');
    const lint = await spawnCli([CLI_BIN, 'lint', app!.file]).exited;
    expect(lint.code, lint.stdout + lint.stderr).to.equal(0);

    // Any call outside the profile now kills (exit 159): exit 0 means each replica's work ran clean.
    const enforcing = { ...recorded, defaultAction: 'SCMP_ACT_KILL_PROCESS', defaultErrnoRet: undefined };
    for (const step of STEPS) {
      const run = await runContainer({ profile: enforcing, args: ['/bin/sh', '-c', `${step} && ${step}`] });
      expect(run.exitCode, `${step}: ${run.stderr}`).to.equal(0);
      // The same work under the base alone is denied: the recording is what made it pass.
      const without = await runContainer({
        profile: { ...base, defaultAction: 'SCMP_ACT_KILL_PROCESS', defaultErrnoRet: undefined },
        args: ['/bin/sh', '-c', step],
      });
      expect(without.exitCode, step).to.not.equal(0);
    }

    expect(storedSpec()).to.deep.equal(webDeployment()['spec']);
    await kubelet!.settled();
  });

  it("restores a bind of kubectl-seccomp's own that was there before (the fields it had, not none)", async () => {
    const pushed = await c().cli(['push', join(dir!, 'base.json')]);
    expect(pushed.code, pushed.stderr).to.equal(0);
    const bind = await c().cli(['bind', 'deploy/web', 'kubectl-seccomp/base.json', '-n', 'shop']);
    expect(bind.code, bind.stderr).to.equal(0);
    const bound = storedSpec();
    expect(JSON.stringify(bound)).to.contain('kubectl-seccomp/base.json');
    await kubelet!.settled();
    const out = join(dir!, 'rebound');
    await mkdir(out);
    const r = await c().cli(['record', 'deploy/web', '-n', 'shop', '--base', join(dir!, 'base.json'), '--out', out, '--duration', '2s'], {
      timeoutMs: 180_000,
    });
    expect(r.code, r.stderr).to.equal(0);
    expect(storedSpec()).to.deep.equal(bound);
    const un = await c().cli(['unbind', 'deploy/web', '-n', 'shop']);
    expect(un.code, un.stderr).to.equal(0);
    expect(storedSpec()).to.deep.equal(webDeployment()['spec']);
    await kubelet!.settled();
  });

  it('an interrupted record (SIGINT) restores the spec and exits 130', async () => {
    const out = join(dir!, 'interrupted');
    await mkdir(out);
    const running = c().spawnCli(['record', 'deploy/web', '-n', 'shop', '--base', join(dir!, 'base.json'), '--out', out]);
    await waitFor('record to be recording', () => running.stderr().includes('recording shop/deployment/web'), {
      attempts: 1200,
      state: () => running.stderr(),
    });
    const bound = JSON.stringify(storedSpec());
    expect(bound, 'bound to the audit-mode base while recording').to.contain('kubectl-seccomp/record-shop-web.json');
    running.child.kill('SIGINT');
    const r = await running.exited;
    expect(r.code, r.stderr).to.equal(130);
    expect(r.stdout).to.contain('(interrupted)');
    expect(r.stdout).to.contain("restored: deployment/web's seccompProfile fields are as before the recording");
    expect(storedSpec()).to.deep.equal(webDeployment()['spec']);
    expect(await readdir(out)).to.deep.equal(['web_app.json']);
    await kubelet!.settled();
  });

  it('record pod/NAME records the pod as it runs: nothing pushed, bound or restored', async () => {
    const [name] = c()
      .api.list('v1', 'Pod', 'shop')
      .map((p) => p.metadata.name)
      .filter((n) => n.startsWith('web-'));
    const out = join(dir!, 'pod');
    await mkdir(out);
    const r = await c().cli(['record', `pod/${name}`, '-n', 'shop', '--base', join(dir!, 'base.json'), '--out', out, '--duration', '1s', '-o', 'json']);
    expect(r.code, r.stderr).to.equal(0);
    const summary = JSON.parse(r.stdout) as RecordOutput;
    expect(summary).to.deep.include({ workload: `pod/${name}`, auditProfile: '', restored: false, applied: false, replicas: [name] });
    expect(await readdir(out)).to.deep.equal([`${name}_app.json`]);
    expect(storedSpec()).to.deep.equal(webDeployment()['spec']);
  });

  it('--apply pushes the recorded profile and binds it per container; the replicas then run under it', async () => {
    const out = join(dir!, 'applied');
    await mkdir(out);
    const r = await c().cli(['record', 'deploy/web', '-n', 'shop', '--base', join(dir!, 'base.json'), '--out', out, '--until-idle', '6s', '--apply'], {
      timeoutMs: 180_000,
    });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('applied: deployment/web now runs each container under its recorded profile');
    const spec = storedSpec() as { template: { spec: { containers: { name: string; securityContext: object }[] } } };
    expect(spec.template.spec.containers[0]!.securityContext).to.deep.equal({
      seccompProfile: { type: 'Localhost', localhostProfile: 'kubectl-seccomp/web_app.json' },
      privileged: false,
    });
    for (const agent of c().agents.values()) {
      expect(await readFile(join(agent.profileDir, 'kubectl-seccomp/web_app.json'), 'utf8')).to.contain('SCMP_ACT_ERRNO');
    }
    // The kubelet starts each new replica under the recorded profile: a container that could not start fails here.
    await kubelet!.settled();
    const un = await c().cli(['unbind', 'deploy/web', '-n', 'shop']);
    expect(un.code, un.stderr).to.equal(0);
    await kubelet!.settled();
  });

  it('record sts/db: the StatefulSet replaces its pods under the trial; both replicas in one profile; the spec restored', async () => {
    const dbSpec = { containers: [{ name: 'app', image: 'busybox' }] };
    c().apply(statefulSet('db', 'shop', dbSpec));
    await kubelet!.settled();
    const { out, summary } = await recordUntilIdle('sts/db', 'sts');
    expect(summary).to.deep.include({ workload: 'statefulset/db', stopped: 'idle', restored: true, replicas: ['db-0', 'db-1'] });
    const [app] = summary.containers;
    expect(app!.file).to.equal(join(out, 'db_app.json'));
    expect(app!.added.some((s) => MKDIR.includes(s)) && app!.added.some((s) => CHMOD.includes(s)), app!.added.join(' ')).to.equal(true);
    const stored = c()
      .api.list('apps/v1', 'StatefulSet', 'shop')
      .find((o) => o.metadata.name === 'db')!['spec'];
    expect(stored).to.deep.equal(statefulSet('db', 'shop', dbSpec)['spec']);
    await kubelet!.settled();
  });

  it("record job/NAME records the Job's pod as it runs (nothing pushed, bound or restored); bind refuses job/ with the reason", async () => {
    // A Job's template cannot change: it is created under the audit-mode base, pushed first as a user would.
    await writeFile(join(dir!, 'job-audit.json'), serializeProfile(base));
    const pushed = await c().cli(['push', '--audit', join(dir!, 'job-audit.json')]);
    expect(pushed.code, pushed.stderr).to.equal(0);
    const jobSpec = {
      containers: [{ name: 'app', image: 'busybox' }],
      securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'kubectl-seccomp/job-audit.json' } },
    };
    const job: KubeObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: 'shop' }, spec: { template: { spec: jobSpec } } };
    c().apply(job);
    await kubelet!.settled();

    const bind = await c().cli(['bind', 'job/migrate', 'kubectl-seccomp/base.json', '-n', 'shop']);
    expect(bind.code).to.equal(2);
    expect(bind.stderr).to.contain("job/migrate: a Job's pod template cannot change once the Job exists");

    const { out, summary } = await recordUntilIdle('job/migrate', 'job');
    expect(summary).to.deep.include({ workload: 'job/migrate', auditProfile: '', restored: false, applied: false });
    expect(summary.replicas).to.have.length(1);
    expect(summary.containers.map((x) => x.file)).to.deep.equal([join(out, 'migrate_app.json')]);
    expect(
      summary.containers[0]!.added.some((s) => MKDIR.includes(s)),
      summary.containers[0]!.added.join(' '),
    ).to.equal(true);
    const stored = c()
      .api.list('batch/v1', 'Job', 'shop')
      .find((o) => o.metadata.name === 'migrate')!['spec'];
    expect(stored).to.deep.equal(job['spec']);
    await kubelet!.settled();
  });

  it('a rollout that does not complete: exit 1, the reason said, the spec restored', async () => {
    // No controller any more: the trial template is never rolled out.
    await kubelet!.stop();
    const before = storedSpec();
    const out = join(dir!, 'stuck');
    await mkdir(out);
    const r = await c().cli(['record', 'deploy/web', '-n', 'shop', '--base', join(dir!, 'base.json'), '--out', out, '--rollout-timeout', '2s']);
    expect(r.code, r.stderr).to.equal(1);
    expect(r.stderr).to.contain(
      'Error: the rollout of deployment/web did not complete in time (the controller has not seen the new template yet) (deployment/web restored)',
    );
    expect(storedSpec()).to.deep.equal(before);
    expect(await readdir(out), 'nothing recorded, nothing written').to.deep.equal([]);
  });
});
