import { expect } from 'chai';
import { configuredOciRuntime, tomlStrings } from './runtime-config.js';

const CONTAINERD_V2 = `version = 2

[plugins."io.containerd.grpc.v1.cri".containerd]
  default_runtime_name = "crun"

[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
  BinaryName = "/usr/local/sbin/runc"

[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.crun]
  runtime_type = "io.containerd.runc.v2"
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.crun.options]
  BinaryName = "/usr/bin/crun" # installed from the distro
  SystemdCgroup = true
`;

const CONTAINERD_V3 = `version = 3

[plugins.'io.containerd.cri.v1.runtime'.containerd]
  default_runtime_name = 'runc'

[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
  BinaryName = '/opt/runc/bin/runc'
`;

const CRIO = `[crio.runtime]
default_runtime = "crun"

[crio.runtime.runtimes.crun]
runtime_path = "/usr/libexec/crio/crun"
runtime_type = "oci"

[crio.runtime.runtimes.runc]
runtime_path = "/usr/libexec/crio/runc"
`;

describe('container runtime configs', () => {
  it('scans TOML tables and string values', () => {
    const tables = tomlStrings(CONTAINERD_V2);
    expect(tables.get('plugins."io.containerd.grpc.v1.cri".containerd.runtimes.crun.options')?.get('BinaryName')).to.equal('/usr/bin/crun');
    expect(tables.get('plugins."io.containerd.grpc.v1.cri".containerd')?.get('default_runtime_name')).to.equal('crun');
  });

  it("picks containerd's default runtime, not the first one listed", () => {
    expect(configuredOciRuntime([{ path: '/etc/containerd/config.toml', text: CONTAINERD_V2 }])).to.deep.equal({
      name: 'crun',
      path: '/usr/bin/crun',
      source: '/etc/containerd/config.toml',
    });
  });

  it('reads containerd 2 (config version 3) with single-quoted strings', () => {
    expect(configuredOciRuntime([{ path: 'c', text: CONTAINERD_V3 }])).to.deep.include({ name: 'runc', path: '/opt/runc/bin/runc' });
  });

  it("reads CRI-O's default_runtime and lets a drop-in override it", () => {
    const base = { path: '/etc/crio/crio.conf', text: CRIO };
    expect(configuredOciRuntime([base])).to.deep.include({ name: 'crun', path: '/usr/libexec/crio/crun' });
    const dropIn = { path: '/etc/crio/crio.conf.d/10-runc.conf', text: '[crio.runtime]\ndefault_runtime = "runc"\n' };
    expect(configuredOciRuntime([base, dropIn])).to.deep.equal({ name: 'runc', path: '/usr/libexec/crio/runc', source: dropIn.path });
  });

  it('says nothing when no default runtime is configured', () => {
    expect(configuredOciRuntime([{ path: 'c', text: 'version = 2\n' }])).to.equal(undefined);
  });
});
