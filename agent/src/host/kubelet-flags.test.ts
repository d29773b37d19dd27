import { expect } from 'chai';
import { k3sConfigKubeletArgs, k3sKubeletArgs, kubeletRootDir, parseArgsFile, parseBool, parseFlags } from './kubelet-flags.js';

describe('kubelet flags', () => {
  it('reads --x=y and --x y forms, normalizing underscores', () => {
    const flags = parseFlags(['--root-dir', '/var/lib/k0s/kubelet', '--config=/etc/k.yaml', '--node_ip=10.0.0.1']);
    expect(Object.fromEntries(flags)).to.deep.equal({ 'root-dir': '/var/lib/k0s/kubelet', config: '/etc/k.yaml', 'node-ip': '10.0.0.1' });
  });

  it('treats a bare --seccomp-default as true without swallowing the next word', () => {
    const flags = parseFlags(['--seccomp-default', '--v', '2']);
    expect(flags.get('seccomp-default')).to.equal('true');
    expect(flags.get('v')).to.equal('2');
  });

  it('lets the last occurrence win', () => {
    expect(parseFlags(['--seccomp-default=true', '--seccomp-default=false']).get('seccomp-default')).to.equal('false');
  });

  it('parses booleans as pflag does', () => {
    expect([parseBool('TRUE'), parseBool('t'), parseBool('0'), parseBool('yes')]).to.deep.equal([true, true, false, undefined]);
  });

  it('turns k3s --kubelet-arg values into kubelet flags', () => {
    const args = ['server', '--kubelet-arg=seccomp-default=true', '--kubelet-arg', 'root-dir=/data/kubelet', '--disable=traefik'];
    expect(k3sKubeletArgs(args)).to.deep.equal(['--seccomp-default=true', '--root-dir=/data/kubelet']);
    expect(k3sConfigKubeletArgs({ 'kubelet-arg': ['seccomp-default=false'] })).to.deep.equal(['--seccomp-default=false']);
    expect(k3sConfigKubeletArgs({ 'kubelet-arg': 'max-pods=200' })).to.deep.equal(['--max-pods=200']);
  });

  it('expands microk8s args files', () => {
    const text = '# kubelet\n--root-dir=${SNAP_COMMON}/var/lib/kubelet\n--kubeconfig=${SNAP_DATA}/credentials/kubelet.config\n--seccomp-default true\n\n';
    expect(parseArgsFile(text)).to.deep.equal([
      '--root-dir=/var/snap/microk8s/common/var/lib/kubelet',
      '--kubeconfig=/var/snap/microk8s/current/credentials/kubelet.config',
      '--seccomp-default=true',
    ]);
  });

  it('defaults the root dir to /var/lib/kubelet and drops a trailing slash', () => {
    expect(kubeletRootDir({})).to.equal('/var/lib/kubelet');
    expect(kubeletRootDir({ 'root-dir': '/var/lib/k0s/kubelet/' })).to.equal('/var/lib/k0s/kubelet');
  });
});
