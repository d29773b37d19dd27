import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { REPO } from './kustomize.js';

// Docker cannot run here: check statically what the image build relies on.
const DOCKERFILE = readFileSync(join(REPO, 'Dockerfile'), 'utf8');

describe('deploy: Dockerfile', () => {
  it('pins the Node base image by version', () => {
    expect(DOCKERFILE).to.match(/^ARG NODE_IMAGE=node:\d+\.\d+\.\d+-bookworm-slim$/m);
  });

  it('copies into the runtime only paths a built tree has', () => {
    const copies = [...DOCKERFILE.matchAll(/^COPY --from=build \/src\/(\S+) /gm)].map((m) => m[1]!);
    expect(copies).to.include.members(['agent/dist', 'agent/bin', 'proto/gen', 'profiles/catalog']);
    for (const path of copies) expect(existsSync(join(REPO, path)), path).to.equal(true);
  });

  it('starts the agent, and its entry point exists', () => {
    expect(DOCKERFILE).to.match(/^ENTRYPOINT \["seccomp-agent"\]$/m);
    expect(existsSync(join(REPO, 'agent/bin/seccomp-agent.js'))).to.equal(true);
  });

  it('installs journalctl for the journald source', () => {
    expect(DOCKERFILE).to.match(/apt-get install -y --no-install-recommends systemd/);
  });
});
