import { expect } from 'chai';
import type { NodeInfo, ProfileInfo } from '@kubectl-seccomp/proto';
import { renderForNode, serializeProfile, type SeccompProfile } from '@kubectl-seccomp/profiles';
import { node } from '@kubectl-seccomp/proto/testing';
import { nodeCopy } from './node-copy.js';

const info: NodeInfo = { ...node, architectures: ['SCMP_ARCH_X86_64'], kernelRelease: '6.8.0' };
const profile: SeccompProfile = { defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW', includes: { arches: ['amd64'] } }] };
const file = (path: string, sha256: string, error = ''): ProfileInfo => ({ path, sha256, size: 1, managed: true, error, changedUnixMs: 0 });
const recorded = new Map([['kubectl-seccomp/web.json', serializeProfile(profile)]]);

describe('nodeCopy', () => {
  const rendered = renderForNode(profile, info).sha256;

  it('is ok when the node holds the recorded version as rendered for it (flattened), found by localhostProfile', () => {
    expect(nodeCopy(info, [file('kubectl-seccomp/web.json', rendered)], 'kubectl-seccomp/web.json', recorded)).to.deep.equal({
      status: 'ok',
      path: 'kubectl-seccomp/web.json',
      sha256: rendered,
      expected: rendered,
    });
  });

  it('says missing, different and invalid; without a recorded version presence is enough', () => {
    expect(nodeCopy(info, [], 'kubectl-seccomp/web.json', recorded).status).to.equal('missing');
    expect(nodeCopy(info, [file('kubectl-seccomp/web.json', 'f00')], 'kubectl-seccomp/web.json', recorded).status).to.equal('different');
    expect(nodeCopy(info, [file('kubectl-seccomp/web.json', rendered, 'bad json')], 'kubectl-seccomp/web.json', recorded).status).to.equal('invalid');
    expect(nodeCopy(info, [file('x.json', 'f00')], 'x.json', recorded)).to.include({ status: 'ok', expected: '' });
  });
});
