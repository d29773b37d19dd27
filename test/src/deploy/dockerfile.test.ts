import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect } from 'chai';
import { startAgentProcess } from '../harness/agent-process.js';
import { REPO } from './kustomize.js';

// Docker cannot run here: check statically what the image build relies on.
const DOCKERFILE = readFileSync(join(REPO, 'Dockerfile'), 'utf8');

describe('deploy: Dockerfile', () => {
  it('pins the Node base image to the release in .node-version', () => {
    const version = readFileSync(join(REPO, '.node-version'), 'utf8').trim();
    expect(DOCKERFILE).to.match(/^ARG NODE_IMAGE=node:\d+\.\d+\.\d+-bookworm-slim$/m);
    expect(DOCKERFILE).to.contain(`ARG NODE_IMAGE=node:${version}-bookworm-slim\n`);
  });

  it('copies into the runtime only paths a built tree has', () => {
    const copies = [...DOCKERFILE.matchAll(/^COPY --from=build \/src\/(\S+) /gm)].map((m) => m[1]!);
    expect(copies).to.have.members(['agent/package.json', 'agent/bin', 'agent/bundle', 'agent/native/build/seccomp-capture']);
    for (const path of copies) expect(existsSync(join(REPO, path)), path).to.equal(true);
  });

  it("runs the agent from the runtime stage's files alone, with no node_modules", async function () {
    this.timeout(30000);
    const root = mkdtempSync(join(tmpdir(), 'ks-image-'));
    try {
      const app = join(root, 'app');
      for (const m of DOCKERFILE.matchAll(/^COPY --from=build \/src\/(\S+) (\S+)$/gm)) {
        // As COPY does: into a destination ending in "/", under the source's own name.
        cpSync(join(REPO, m[1]!), join(app, m[2]!, m[2]!.endsWith('/') ? basename(m[1]!) : ''), { recursive: true });
      }
      expect(existsSync(join(app, 'node_modules')), 'node_modules in the image').to.equal(false);
      const agent = await startAgentProcess(['--host-root', '/', '--profile-dir', join(root, 'profiles'), '--kube', 'off', '--sources', 'kmsg'], {
        bin: join(app, 'agent/bin/seccomp-agent.js'),
      });
      expect(agent.address).to.match(/^127\.0\.0\.1:\d+$/);
      expect(await agent.stop()).to.equal(0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('starts the agent, and its entry point exists', () => {
    expect(DOCKERFILE).to.match(/^ENTRYPOINT \["seccomp-agent"\]$/m);
    expect(existsSync(join(REPO, 'agent/bin/seccomp-agent.js'))).to.equal(true);
  });

  it('installs journalctl for the journald source', () => {
    expect(DOCKERFILE).to.match(/apt-get install -y --no-install-recommends systemd/);
  });
});
