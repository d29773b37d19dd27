import { expect } from 'chai';
import type { CheckResult } from '@kubectl-seccomp/proto';
import { checkContainersSeccomp } from './containers-seccomp.js';
import type { NodeFacts } from './facts.js';
import { fixtureEnv } from './testing/fixture-hosts.js';
import { CHECKS, nodeInfo, readNodeFacts, runChecks } from './index.js';
import { checkKernelActionsLogged } from './kernel-actions-logged.js';
import { checkKernelAudit } from './kernel-audit.js';
import { checkKernelRelease } from './kernel-release.js';
import { checkKernelSeccomp } from './kernel-seccomp.js';
import { checkKubeletConfig } from './kubelet-config.js';
import { checkKubeletProcess } from './kubelet-process.js';
import { checkKubeletRootDir } from './kubelet-root-dir.js';
import { checkKubeletSeccompDefault } from './kubelet-seccomp-default.js';
import { checkKubeletSeccompProfileRoot } from './kubelet-seccomp-profile-root.js';
import { checkLogAuditd } from './log-auditd.js';
import { checkLogJournald } from './log-journald.js';
import { checkLogKmsg, hasCapSyslog } from './log-kmsg.js';
import { checkLogRateLimit } from './log-rate-limit.js';
import { checkLogSources } from './log-sources.js';
import { checkProfileDir } from './profile-dir.js';
import { checkProfileConfigMaps } from './profile-configmaps.js';
import { checkProfileReconcile } from './profile-reconcile.js';
import { checkProfileFiles } from './profile-files.js';
import { checkContainerRuntime } from './runtime-container.js';
import { checkOciRuntime } from './runtime-oci.js';

describe('node checks', () => {
  let healthy: NodeFacts;
  let broken: NodeFacts;
  before(async () => {
    healthy = await readNodeFacts(fixtureEnv('healthy'));
    broken = await readNodeFacts(fixtureEnv('broken'));
  });

  /** A copy of the facts with some changes, so each case states only what differs. */
  const edit = (facts: NodeFacts, change: (f: NodeFacts) => void): NodeFacts => {
    const copy = structuredClone(facts);
    change(copy);
    return copy;
  };
  const status = (r: CheckResult) => r.status;

  describe('kubelet.process', () => {
    it('passes when the kubelet is found', () => {
      expect(checkKubeletProcess(healthy)).to.include({ status: 'pass', summary: 'kubelet found (pid 500)' });
    });
    it('warns that the host /proc is not mounted when no process is visible', () => {
      const r = checkKubeletProcess(
        edit(healthy, (f) => {
          f.processCount = 0;
          f.kubelet = undefined;
        }),
      );
      expect(r.status).to.equal('warn');
      expect(r.remedy).to.contain(`${healthy.hostRoot}/proc`);
    });
    it('warns on a node root without a kubelet, skips on a local machine', () => {
      expect(
        status(
          checkKubeletProcess(
            edit(healthy, (f) => {
              f.kubelet = undefined;
            }),
          ),
        ),
      ).to.equal('warn');
      expect(
        status(
          checkKubeletProcess(
            edit(healthy, (f) => {
              f.kubelet = undefined;
              f.hostRoot = '/';
            }),
          ),
        ),
      ).to.equal('skip');
    });
  });

  describe('kubelet.config', () => {
    it('passes when the config file parsed', () => {
      expect(checkKubeletConfig(healthy)).to.include({ status: 'pass' });
    });
    it('names a config file that could not be used', () => {
      const r = checkKubeletConfig(
        edit(healthy, (f) => {
          f.kubelet!.configs[0]!.error = 'missing or unreadable';
        }),
      );
      expect(r.status).to.equal('warn');
      expect(r.detail).to.equal('/var/lib/kubelet/config.yaml: missing or unreadable');
    });
  });

  describe('kubelet.seccomp-default', () => {
    it('passes when the config turns it on', () => {
      expect(checkKubeletSeccompDefault(healthy)).to.include({ status: 'pass', detail: 'Set by /var/lib/kubelet/config.yaml.' });
    });
    it('warns with the exact fix when it is off', () => {
      const r = checkKubeletSeccompDefault(broken);
      expect(r.status).to.equal('warn');
      expect(r.remedy).to.contain('"seccompDefault: true" in /var/lib/k0s/kubelet-config.yaml');
      expect(r.remedy).to.contain('--seccomp-default');
      expect(r.remedy).to.contain('restart the kubelet');
    });
    it('lets the flag override the config file', () => {
      expect(
        status(
          checkKubeletSeccompDefault(
            edit(broken, (f) => {
              f.kubelet!.flags['seccomp-default'] = 'true';
            }),
          ),
        ),
      ).to.equal('pass');
      expect(
        status(
          checkKubeletSeccompDefault(
            edit(healthy, (f) => {
              f.kubelet!.flags['seccomp-default'] = 'false';
            }),
          ),
        ),
      ).to.equal('warn');
    });
    it('warns on a flag value that is not a boolean', () => {
      const r = checkKubeletSeccompDefault(
        edit(healthy, (f) => {
          f.kubelet!.flags['seccomp-default'] = 'yes';
        }),
      );
      expect(r).to.include({ status: 'warn', detail: '--seccomp-default=yes is not a boolean' });
    });
    it('gives the k3s way to turn it on', () => {
      const r = checkKubeletSeccompDefault(
        edit(broken, (f) => {
          f.kubelet!.kind = 'k3s';
        }),
      );
      expect(r.remedy).to.contain('kubelet-arg').and.contain('restart k3s');
    });
  });

  describe('kubelet.seccomp-profile-root', () => {
    it('passes when the removed flag is absent', () => {
      expect(status(checkKubeletSeccompProfileRoot(healthy))).to.equal('pass');
    });
    it('warns when it is set, and the root-dir check then expects profiles there', () => {
      const old = edit(healthy, (f) => {
        f.kubelet!.flags['seccomp-profile-root'] = '/var/lib/kubelet/seccomp-old';
      });
      expect(status(checkKubeletSeccompProfileRoot(old))).to.equal('warn');
      expect(checkKubeletRootDir(old).summary).to.contain('the kubelet reads /var/lib/kubelet/seccomp-old');
    });
  });

  describe('kubelet.root-dir', () => {
    it('passes when the profile dir is <root-dir>/seccomp', () => {
      expect(checkKubeletRootDir(healthy)).to.include({ status: 'pass' });
    });
    it('fails when the kubelet root moved and the agent writes the default', () => {
      const r = checkKubeletRootDir(broken);
      expect(r.status).to.equal('fail');
      expect(r.summary).to.equal(
        'pods would not find pushed profiles: the agent writes /var/lib/kubelet/seccomp, the kubelet reads /var/lib/k0s/kubelet/seccomp',
      );
    });
    it('passes when both paths reach the same dir through symlinks', () => {
      const r = checkKubeletRootDir(
        edit(broken, (f) => {
          f.kubeletRootResolved = '/data/kubelet';
          f.profileDir.resolvedHostPath = '/data/kubelet/seccomp';
        }),
      );
      expect(r.status).to.equal('pass');
    });
    it('warns when the profile dir is not under the host root', () => {
      expect(
        status(
          checkKubeletRootDir(
            edit(healthy, (f) => {
              f.profileDir.hostPath = undefined;
            }),
          ),
        ),
      ).to.equal('warn');
    });
    it('skips without a kubelet', () => {
      expect(
        status(
          checkKubeletRootDir(
            edit(healthy, (f) => {
              f.kubelet = undefined;
            }),
          ),
        ),
      ).to.equal('skip');
    });
  });

  describe('profiles.dir', () => {
    it('passes for a writable directory', () => {
      expect(status(checkProfileDir(healthy))).to.equal('pass');
    });
    it('warns when the dir does not exist yet', () => {
      expect(
        status(
          checkProfileDir(
            edit(healthy, (f) => {
              f.profileDir.exists = false;
            }),
          ),
        ),
      ).to.equal('warn');
    });
    it('fails when it is not a directory', () => {
      expect(
        status(
          checkProfileDir(
            edit(healthy, (f) => {
              f.profileDir.isDirectory = false;
            }),
          ),
        ),
      ).to.equal('fail');
    });
    it('fails when it is not writable, saying why', () => {
      const r = checkProfileDir(
        edit(healthy, (f) => {
          f.profileDir.writable = false;
          f.profileDir.writeError = 'EROFS';
        }),
      );
      expect(r.status).to.equal('fail');
      expect(r.summary).to.contain('read-only mount');
    });
    it('fails when the agent would write somewhere else than the host sees', () => {
      const r = checkProfileDir(
        edit(healthy, (f) => {
          f.profileDir.isSymlink = true;
          f.profileDir.agentRealPath = '/etc/seccomp';
          f.profileDir.agentRealHostPath = undefined;
        }),
      );
      expect(r).to.include({ status: 'fail' });
      expect(r.detail).to.contain('/etc/seccomp');
    });
    it('warns when it is a symlink out of the kubelet root', () => {
      const r = checkProfileDir(
        edit(healthy, (f) => {
          f.profileDir.isSymlink = true;
          f.profileDir.resolvedHostPath = '/srv/profiles';
          f.profileDir.agentRealPath = `${f.hostRoot}/srv/profiles`;
          f.profileDir.agentRealHostPath = '/srv/profiles';
        }),
      );
      expect(r.status).to.equal('warn');
      expect(r.detail).to.contain('/srv/profiles');
    });
  });

  describe('profiles.files', () => {
    it('counts valid profiles', () => {
      expect(checkProfileFiles(healthy)).to.include({ status: 'pass', summary: '1 profile file, all valid profiles' });
    });
    it('names each file that is not a profile, with its error', () => {
      const r = checkProfileFiles(broken);
      expect(r.status).to.equal('warn');
      expect(r.summary).to.equal('1 file of 2 profile files is not a valid profile');
      expect(r.detail).to.match(/^broken\.json: line 5/);
    });
  });

  describe('profiles.configmaps', () => {
    it('names each ConfigMap the reconciler skipped, and skips without a reconciler', () => {
      expect(status(checkProfileConfigMaps(healthy))).to.equal('pass');
      expect(
        status(
          checkProfileConfigMaps(
            edit(healthy, (f) => {
              f.skippedConfigMaps = undefined;
            }),
          ),
        ),
      ).to.equal('skip');
      const r = checkProfileConfigMaps(
        edit(healthy, (f) => {
          f.skippedConfigMaps = [{ configMap: 'ns/deep', reason: 'profile.json: nested deeper than 32 levels' }];
        }),
      );
      expect(r).to.include({
        status: 'warn',
        summary: '1 profile ConfigMap not applied on this node',
        detail: 'ns/deep: profile.json: nested deeper than 32 levels',
      });
    });
  });

  describe('profiles.reconcile', () => {
    const reconciled = (r: NodeFacts['reconcile']): NodeFacts =>
      edit(healthy, (f) => {
        f.reconcile = r;
      });
    it('passes once every recorded profile is on disk, naming what became of the readiness taint', () => {
      expect(checkProfileReconcile(healthy)).to.include({ status: 'pass', summary: 'every recorded profile is on disk; readiness taint removed' });
      const absent = reconciled({ state: 'complete', problems: [], everComplete: true, gate: { state: 'absent' } });
      expect(checkProfileReconcile(absent).summary).to.equal('every recorded profile is on disk; no readiness taint on the node');
      expect(status(checkProfileReconcile(reconciled(undefined)))).to.equal('skip');
    });
    it('fails with each problem until a reconcile completes, warns when a later one does not', () => {
      const never = checkProfileReconcile(
        reconciled({ state: 'incomplete', problems: ['team/web.json: EEXIST'], everComplete: false, gate: { state: 'waiting' } }),
      );
      expect(never).to.include({ status: 'fail', detail: 'team/web.json: EEXIST' });
      expect(never.summary).to.match(/it never completed$/);
      expect(never.remedy).to.match(/readiness taint seccomp\.kubectl-seccomp\.io\/profiles-not-ready stays/);
      const later = reconciled({ state: 'incomplete', problems: ['ns/a: bad', 'ns/b: bad'], everComplete: true, gate: { state: 'removed' } });
      expect(checkProfileReconcile(later)).to.include({ status: 'warn', summary: 'the last reconcile left 2 recorded profile problems on this node' });
      expect(status(checkProfileReconcile(reconciled({ state: 'pending', problems: [], everComplete: false, gate: { state: 'waiting' } })))).to.equal('warn');
    });
    it('warns when the taint could not be removed, with the API error and the grant it needs', () => {
      const r = checkProfileReconcile(
        reconciled({ state: 'complete', problems: [], everComplete: true, gate: { state: 'forbidden', error: 'nodes "n" is forbidden' } }),
      );
      expect(r).to.include({ status: 'warn', detail: 'forbidden: nodes "n" is forbidden' });
      expect(r.remedy).to.match(/readiness\.yaml/);
    });
  });

  describe('kernel.seccomp', () => {
    it('passes when actions_avail lists the actions profiles use', () => {
      expect(status(checkKernelSeccomp(healthy))).to.equal('pass');
    });
    it('fails on a kernel without seccomp', () => {
      const r = checkKernelSeccomp(
        edit(healthy, (f) => {
          f.kernel.actionsAvail = undefined;
          f.kernel.statusHasSeccomp = false;
        }),
      );
      expect(r.status).to.equal('fail');
    });
    it('fails when the config says CONFIG_SECCOMP_FILTER is off', () => {
      const r = checkKernelSeccomp(
        edit(healthy, (f) => {
          f.kernel.actionsAvail = undefined;
          f.kernel.config!['CONFIG_SECCOMP_FILTER'] = 'n';
        }),
      );
      expect(r.status).to.equal('fail');
      expect(r.detail).to.contain('CONFIG_SECCOMP_FILTER=n');
    });
    it('warns when SCMP_ACT_LOG is not available', () => {
      const r = checkKernelSeccomp(
        edit(healthy, (f) => {
          f.kernel.actionsAvail = ['kill_thread', 'trap', 'errno', 'trace', 'allow'];
        }),
      );
      expect(r.status).to.equal('warn');
      expect(r.summary).to.contain('SCMP_ACT_LOG');
    });
  });

  describe('kernel.actions-logged', () => {
    it('passes when log is logged', () => {
      expect(status(checkKernelActionsLogged(healthy))).to.equal('pass');
    });
    it('warns that LOG profiles are silent and gives the sysctl', () => {
      const r = checkKernelActionsLogged(broken);
      expect(r.status).to.equal('warn');
      expect(r.summary).to.contain('SCMP_ACT_LOG profiles are silent');
      expect(r.remedy).to.contain('sysctl -w kernel.seccomp.actions_logged="kill_process kill_thread trap errno user_notif trace log"');
    });
    it('skips on kernels without actions_logged', () => {
      expect(
        status(
          checkKernelActionsLogged(
            edit(healthy, (f) => {
              f.kernel.actionsAvail = undefined;
              f.kernel.actionsLogged = undefined;
            }),
          ),
        ),
      ).to.equal('skip');
    });
  });

  describe('kernel.release', () => {
    it('reports the release', () => {
      expect(checkKernelRelease(healthy)).to.include({ status: 'pass', summary: 'Linux 6.8.0-45-generic (x86_64)' });
    });
    it('warns before 4.14 and when unknown', () => {
      expect(
        status(
          checkKernelRelease(
            edit(healthy, (f) => {
              f.kernel.release = '4.9.0-19-amd64';
            }),
          ),
        ),
      ).to.equal('warn');
      expect(
        status(
          checkKernelRelease(
            edit(healthy, (f) => {
              f.kernel.release = '';
            }),
          ),
        ),
      ).to.equal('warn');
    });
  });

  describe('kernel.audit', () => {
    it('passes with audit in the kernel config', () => {
      expect(status(checkKernelAudit(healthy))).to.equal('pass');
    });
    it('fails when the kernel has no audit syscall support', () => {
      const r = checkKernelAudit(
        edit(healthy, (f) => {
          delete f.kernel.config!['CONFIG_AUDITSYSCALL'];
        }),
      );
      expect(r.status).to.equal('fail');
      expect(r.detail).to.contain('CONFIG_AUDITSYSCALL=unset');
    });
    it('warns on audit=0', () => {
      expect(
        status(
          checkKernelAudit(
            edit(healthy, (f) => {
              f.kernel.cmdline += ' audit=0';
            }),
          ),
        ),
      ).to.equal('warn');
    });
  });

  describe('log.auditd', () => {
    it('passes without auditd', () => {
      expect(status(checkLogAuditd(healthy))).to.equal('pass');
    });
    it('fails when auditd owns the records and its log is unreadable', () => {
      const r = checkLogAuditd(broken);
      expect(r.status).to.equal('fail');
      expect(r.summary).to.contain('/var/log/audit/audit.log').and.contain('ENOENT');
    });
    it('passes when auditd runs and its log is readable', () => {
      const r = checkLogAuditd(
        edit(broken, (f) => {
          f.logs.auditLog.error = '';
        }),
      );
      expect(r.status).to.equal('pass');
      expect(r.summary).to.contain('/var/log/audit/audit.log');
    });
  });

  describe('log.kmsg', () => {
    it('passes when /dev/kmsg opens', () => {
      expect(status(checkLogKmsg(healthy))).to.equal('pass');
    });
    it('says dmesg_restrict and the missing CAP_SYSLOG are the cause', () => {
      const r = checkLogKmsg(
        edit(healthy, (f) => {
          f.logs.kmsg.error = 'EPERM';
          f.logs.dmesgRestrict = 1;
          f.kernel.agentCapEff = '00000000a80425fb';
        }),
      );
      expect(r.status).to.equal('warn');
      expect(r.summary).to.equal('/dev/kmsg is not readable: kernel.dmesg_restrict=1 and the agent lacks CAP_SYSLOG');
    });
    it('says the device is missing from the host root', () => {
      expect(checkLogKmsg(broken).remedy).to.contain('CharDevice');
    });
    it('reads CAP_SYSLOG from CapEff', () => {
      expect(hasCapSyslog('000001ffffffffff')).to.equal(true);
      expect(hasCapSyslog('00000000a80425fb')).to.equal(false);
      expect(hasCapSyslog('')).to.equal(undefined);
    });
  });

  describe('log.sources', () => {
    it('names what watch reads, as the violation sources choose', () => {
      expect(checkLogSources(healthy)).to.include({ status: 'pass', summary: 'watch reads seccomp records from kmsg and journald' });
      expect(checkLogSources(broken)).to.include({ status: 'pass', summary: 'watch reads seccomp records from auditlog' });
    });
    it('fails when no source is usable', () => {
      const r = checkLogSources(
        edit(healthy, (f) => {
          f.logs.probe.kmsgError = 'EPERM';
          f.logs.probe.journalctl = undefined;
        }),
      );
      expect(r.status).to.equal('fail');
      expect(r.detail).to.contain('kmsg: not read (/dev/kmsg is not readable: EPERM)');
    });
  });

  describe('log.journald', () => {
    it('passes when the journal is readable', () => {
      expect(checkLogJournald(healthy).summary).to.contain('/run/log/journal');
    });
    it('skips without journald', () => {
      expect(status(checkLogJournald(broken))).to.equal('skip');
    });
    it('warns when journald runs but its journal is not readable', () => {
      const r = checkLogJournald(
        edit(healthy, (f) => {
          f.logs.journalDirs = [{ path: '/run/log/journal', error: 'EACCES' }];
        }),
      );
      expect(r.status).to.equal('warn');
      expect(r.detail).to.contain('/run/log/journal (EACCES)');
    });
    it('warns when the agent has no journalctl', () => {
      const r = checkLogJournald(
        edit(healthy, (f) => {
          f.logs.probe.journalctl = undefined;
        }),
      );
      expect(r.status).to.equal('warn');
      expect(r.summary).to.contain('no journalctl');
    });
  });

  describe('log.rate-limit', () => {
    it('passes with the default printk limits', () => {
      expect(checkLogRateLimit(healthy)).to.include({ status: 'pass', summary: 'kernel log rate limit: 10 records per 5s' });
    });
    it('warns on a low audit backlog when auditd runs', () => {
      expect(checkLogRateLimit(broken)).to.include({ status: 'warn', summary: 'audit backlog limit is low (32)' });
    });
    it('warns on a low printk burst', () => {
      expect(
        status(
          checkLogRateLimit(
            edit(healthy, (f) => {
              f.logs.printkRatelimitBurst = 3;
            }),
          ),
        ),
      ).to.equal('warn');
      expect(
        status(
          checkLogRateLimit(
            edit(healthy, (f) => {
              f.logs.printkRatelimitBurst = 3;
              f.logs.printkRatelimit = 0;
            }),
          ),
        ),
      ).to.equal('pass');
    });
  });

  describe('runtime.container', () => {
    it('finds containerd, and CRI-O through the kubelet endpoint', () => {
      expect(checkContainerRuntime(healthy)).to.include({ status: 'pass', summary: 'containerd (pid 400)' });
      expect(checkContainerRuntime(broken)).to.include({ status: 'pass', summary: 'cri-o (pid 620)' });
    });
    it('warns when no runtime process is visible on a node', () => {
      expect(
        status(
          checkContainerRuntime(
            edit(healthy, (f) => {
              f.runtime.containerRuntimes = [];
            }),
          ),
        ),
      ).to.equal('warn');
    });
  });

  describe('runtime.oci', () => {
    it('passes for runc 1.2, which can log denials', () => {
      expect(checkOciRuntime(healthy).summary).to.equal('runc 1.2.0: denials can be made visible (SECCOMP_FILTER_FLAG_LOG)');
    });
    it('warns that runc 1.1 keeps ERRNO denials silent', () => {
      const r = checkOciRuntime(broken);
      expect(r.status).to.equal('warn');
      expect(r.summary).to.equal('runc 1.1.5 ignores SECCOMP_FILTER_FLAG_LOG: ERRNO denials stay silent');
      expect(r.detail).to.contain('/etc/crio/crio.conf');
    });
    it('knows crun from 0.19', () => {
      const crun = (version: string) =>
        edit(healthy, (f) => {
          f.runtime.ociRuntimes = [{ name: 'crun', path: '/usr/bin/crun', version, versionSource: 'binary' }];
        });
      expect(status(checkOciRuntime(crun('1.8.7')))).to.equal('pass');
      expect(status(checkOciRuntime(crun('0.18')))).to.equal('warn');
    });
    it('warns when the version is unknown or no runtime is found', () => {
      expect(
        status(
          checkOciRuntime(
            edit(healthy, (f) => {
              f.runtime.ociRuntimes[0]!.version = '';
            }),
          ),
        ),
      ).to.equal('warn');
      expect(
        status(
          checkOciRuntime(
            edit(healthy, (f) => {
              f.runtime.ociRuntimes = [];
            }),
          ),
        ),
      ).to.equal('warn');
    });
  });

  describe('containers.seccomp', () => {
    it('passes when every container runs a filter', () => {
      expect(checkContainersSeccomp(healthy)).to.include({ status: 'pass', summary: 'all 2 containers run with a seccomp filter' });
    });
    it('names the containers without seccomp', () => {
      const r = checkContainersSeccomp(broken);
      expect(r).to.include({ status: 'warn', summary: '1 of 2 containers run without seccomp' });
      expect(r.detail).to.equal('c3c3c3c3c3c3 sh (pid 1205)');
    });
    it('points at the pod-level profile for unconfined sandboxes', () => {
      const r = checkContainersSeccomp(
        edit(broken, (f) => {
          f.containers[0]!.comm = 'pause';
        }),
      );
      expect(r.detail).to.contain('pod-level seccompProfile');
    });
    it('skips when there are no containers', () => {
      expect(
        status(
          checkContainersSeccomp(
            edit(healthy, (f) => {
              f.containers = [];
            }),
          ),
        ),
      ).to.equal('skip');
    });
  });

  describe('all checks', () => {
    it('have unique dotted ids and a remedy for every warn and fail', () => {
      for (const facts of [healthy, broken]) {
        const results = runChecks(facts);
        expect(results).to.have.length(CHECKS.length);
        expect(new Set(results.map((r) => r.id)).size).to.equal(results.length);
        for (const r of results) {
          expect(r.id).to.match(/^[a-z]+\.[a-z-]+$/);
          expect(r.summary, r.id).to.not.equal('');
          if (r.status === 'warn' || r.status === 'fail') expect(r.remedy, r.id).to.not.equal('');
          else expect(r.remedy, r.id).to.equal('');
        }
      }
    });

    it('describe the node', () => {
      expect(nodeInfo(healthy)).to.deep.include({
        nodeName: 'node-healthy',
        kernelRelease: '6.8.0-45-generic',
        machine: 'x86_64',
        profileDir: '/var/lib/kubelet/seccomp',
        kubeletRootDir: '/var/lib/kubelet',
        containerRuntime: 'containerd',
        ociRuntime: 'runc',
        ociRuntimeVersion: '1.2.0',
        filterFlagLogSupported: true,
        architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
      });
      expect(nodeInfo(broken)).to.deep.include({ kubeletRootDir: '/var/lib/k0s/kubelet', containerRuntime: 'cri-o', filterFlagLogSupported: false });
    });
  });
});
