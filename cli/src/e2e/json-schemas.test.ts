import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { copyHost, deadAddress, startAgent, type TestAgent, type TestHost } from '../testing/agents.js';
import { killStrayClis, runCli } from '../testing/run-cli.js';

const SCHEMAS = fileURLToPath(new URL('../../schemas/', import.meta.url));
const PROFILES = fileURLToPath(new URL('../../fixtures/profiles/', import.meta.url));
const ID = 'https://kubectl-seccomp.dev/schemas/';

/** Every schema of cli/schemas, strict: a schema that does not compile fails here too. */
function schemas(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  for (const f of readdirSync(SCHEMAS)) ajv.addSchema(JSON.parse(readFileSync(`${SCHEMAS}${f}`, 'utf8')) as object);
  return ajv;
}

describe('-o json matches cli/schemas (real CLI, ajv)', function () {
  this.timeout(90_000);
  const ajv = schemas();
  let host: TestHost;
  let agent: TestAgent;
  let dead: string;

  before(async () => {
    host = await copyHost('broken');
    agent = await startAgent(host, 'node-a');
    dead = await deadAddress();
  });
  afterEach(killStrayClis);
  after(async () => {
    await agent?.stop();
    await host?.remove();
  });

  /** Runs the CLI with -o json; the output must validate against schemas/NAME.json. */
  async function valid(name: string, args: string[]): Promise<unknown> {
    const run = await runCli([...args, '-o', 'json']);
    const data = JSON.parse(run.stdout) as unknown;
    const validate = ajv.getSchema(`${ID}${name}.json`)!;
    expect(validate(data), JSON.stringify(validate.errors, null, 2)).to.equal(true);
    return data;
  }

  it('doctor: a reachable node with failures and an unreachable one', async () => {
    const data = (await valid('doctor', ['doctor', '--agent', `node-a=${agent.address}`, '--agent', `node-gone=${dead}`])) as { nodes: unknown[] };
    expect(data.nodes).to.have.length(2);
  });

  it('push: a dry run (dryRun, localhostProfile filled) and an unreachable node', async () => {
    const data = (await valid('push', ['push', '--agent', `node-a=${agent.address}`, '--agent', `node-gone=${dead}`, '--dry-run', `${PROFILES}good`])) as {
      dryRun: boolean;
      nodes: { results: { localhostProfile: string }[] }[];
    };
    expect(data.dryRun).to.equal(true);
    expect(data.nodes.flatMap((n) => n.results).every((r) => r.localhostProfile !== '')).to.equal(true);
  });

  it('lint: good and bad profiles', async () => {
    await valid('lint', ['lint', `${PROFILES}good`, `${PROFILES}bad`, `${PROFILES}docker`]);
  });

  it('a schema rejects what the CLI never prints (the test can fail)', () => {
    const validate = ajv.getSchema(`${ID}push.json`)!;
    expect(validate({ dryRun: 'yes', prefix: '', profiles: [], nodes: [], summary: {} })).to.equal(false);
  });
});
