import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { REPO, requirePrerequisite } from './kustomize.js';

const PINNED = readFileSync(join(REPO, '.node-version'), 'utf8').trim();
const MAJOR = Number(PINNED.split('.')[0]);
const PACKAGES = ['.', 'proto', 'profiles', 'agent', 'cli', 'test'];

describe('deploy: the pinned Node (.node-version)', () => {
  it('is an exact release of an even (LTS) line', () => {
    expect(PINNED).to.match(/^\d+\.\d+\.\d+$/);
    expect(MAJOR % 2, `Node ${MAJOR} is not an LTS line`).to.equal(0);
  });

  it('runs the tests and what they spawn (process.execPath)', function () {
    requirePrerequisite(
      this,
      process.version === `v${PINNED}`,
      `the tests run on Node ${process.version}, not the pinned ${PINNED}: source scripts/env.sh first`,
    );
    expect(process.version).to.equal(`v${PINNED}`);
  });

  it("is the one major every package's engines admits", () => {
    for (const dir of PACKAGES) {
      const pjson = JSON.parse(readFileSync(join(REPO, dir, 'package.json'), 'utf8')) as { engines?: { node?: string } };
      expect(pjson.engines?.node, `${dir}/package.json engines.node`).to.equal(`>=${MAJOR} <${MAJOR + 1}`);
    }
  });
});
