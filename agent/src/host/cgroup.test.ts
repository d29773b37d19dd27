import { expect } from 'chai';
import { parseCgroup } from './cgroup.js';

const ID = 'f3b1c2d4e5a6978812345678901234567890abcdef1234567890abcdef123456';
const UID = '8d6e4f1c-2b3a-4c5d-9e8f-7a6b5c4d3e2f';
const UID_ = UID.replaceAll('-', '_');
const STATIC_UID = '6c2ef6e4a8a0c2f3d8f1f7e1c5b2a9d0';

describe('parseCgroup: which pod and container a process is in', () => {
  const cases: Array<[string, string, ReturnType<typeof parseCgroup>]> = [
    [
      'v2, systemd driver, containerd, burstable',
      `0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice/cri-containerd-${ID}.scope\n`,
      { containerId: ID, podUid: UID, runtime: 'containerd' },
    ],
    [
      'v2, systemd driver, CRI-O, besteffort',
      `0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${UID_}.slice/crio-${ID}.scope\n`,
      { containerId: ID, podUid: UID, runtime: 'cri-o' },
    ],
    [
      'v2, systemd driver, guaranteed pod, nested cgroup inside the scope (crun, systemd in container)',
      `0::/kubepods.slice/kubepods-pod${UID_}.slice/crio-${ID}.scope/container\n`,
      { containerId: ID, podUid: UID, runtime: 'cri-o' },
    ],
    [
      'v2, docker via cri-dockerd',
      `0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice/docker-${ID}.scope\n`,
      { containerId: ID, podUid: UID, runtime: 'docker' },
    ],
    [
      'v2, kind node (kubelet.slice prefix)',
      `0::/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-pod${UID_}.slice/cri-containerd-${ID}.scope\n`,
      { containerId: ID, podUid: UID, runtime: 'containerd' },
    ],
    ['v2, cgroupfs driver, burstable', `0::/kubepods/burstable/pod${UID}/${ID}\n`, { containerId: ID, podUid: UID, runtime: '' }],
    ['v2, cgroupfs driver, guaranteed', `0::/kubepods/pod${UID}/${ID}\n`, { containerId: ID, podUid: UID, runtime: '' }],
    ['v2, cgroupfs driver, static pod uid', `0::/kubepods/besteffort/pod${STATIC_UID}/${ID}\n`, { containerId: ID, podUid: STATIC_UID, runtime: '' }],
    ["containerd's own namespace layout", `0::/k8s.io/${ID}\n`, { containerId: ID, podUid: '', runtime: 'containerd' }],
    ['plain docker, cgroupfs', `0::/docker/${ID}\n`, { containerId: ID, podUid: '', runtime: 'docker' }],
    [
      'containerd.service with unconverted systemd path (slice:prefix:id)',
      `0::/system.slice/containerd.service/kubepods-besteffort-pod${UID_}.slice:cri-containerd:${ID}\n`,
      { containerId: ID, podUid: UID, runtime: 'containerd' },
    ],
    [
      "CRI-O's conmon in the pod slice is not a container",
      `0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice/crio-conmon-${ID}.scope\n`,
      { containerId: '', podUid: UID, runtime: 'cri-o' },
    ],
    ["CRI-O's conmon in system.slice", `0::/system.slice/crio-conmon-${ID}.scope\n`, undefined],
    ['a host service', '0::/system.slice/containerd.service\n', undefined],
    ['a user session', '0::/user.slice/user-1000.slice/session-3.scope\n', undefined],
    ['the root cgroup', '0::/\n', undefined],
  ];
  for (const [name, text, expected] of cases) {
    it(`reads ${name}`, () => {
      expect(parseCgroup(text)).to.deep.equal(expected);
    });
  }

  it('reads a cgroup v1 file, where some hierarchies carry the path and others do not', () => {
    const v1 = [
      '12:pids:/kubepods/burstable/pod' + UID + '/' + ID,
      '11:hugetlb:/',
      '10:cpu,cpuacct:/kubepods/burstable/pod' + UID + '/' + ID,
      '9:memory:/kubepods/burstable/pod' + UID + '/' + ID,
      '1:name=systemd:/kubepods/burstable/pod' + UID + '/' + ID,
      '0::/',
      '',
    ].join('\n');
    expect(parseCgroup(v1)).to.deep.equal({ containerId: ID, podUid: UID, runtime: '' });
  });

  it('reads a cgroup v1 file from the systemd driver', () => {
    const path = `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice/cri-containerd-${ID}.scope`;
    const v1 = `11:devices:${path}\n4:cpuset:/\n1:name=systemd:${path}\n`;
    expect(parseCgroup(v1)).to.deep.equal({ containerId: ID, podUid: UID, runtime: 'containerd' });
  });

  it('ignores an empty or malformed file', () => {
    expect(parseCgroup('')).to.equal(undefined);
    expect(parseCgroup('garbage without colons\n')).to.equal(undefined);
  });
});
