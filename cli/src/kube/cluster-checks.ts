import type { V1Container, V1Namespace, V1Node, V1Pod, V1SeccompProfile } from '@kubernetes/client-node';
import { READINESS_TAINT_KEY, type CheckStatus } from '@kubectl-seccomp/proto';
import type { AgentReport, ClusterFinding } from '../targets/types.js';

export interface ClusterSnapshot {
  nodes: V1Node[];
  pods: V1Pod[];
  namespaces: V1Namespace[];
  /** Profile paths present per node (from the agents); absent = unknown (no agent, or it failed). */
  profiles: Map<string, Set<string>>;
  /** The kubelet's seccompDefault per node, where /configz was readable. */
  seccompDefault: Map<string, boolean>;
  /** What doctor learnt of each node's agent; a node absent here was not among the selected nodes. */
  agents?: Map<string, AgentReport>;
}

const DEPRECATED_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const DEPRECATED_CONTAINER_ANNOTATION = 'container.seccomp.security.alpha.kubernetes.io/';

/** Pure: the cluster-wide doctor findings; each check reports a pass when it found nothing. */
export function clusterFindings(s: ClusterSnapshot): ClusterFinding[] {
  const live = s.pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  return [
    ...orPass(missingProfiles(live, s), 'pod.localhost-profile-missing', 'every Localhost profile that pods reference is on their node'),
    ...orPass(unconfined(live, s), 'pod.unconfined', 'no container runs without seccomp'),
    ...orPass(privilegedWithProfile(live), 'pod.privileged-profile-ignored', 'no privileged container declares a seccomp profile'),
    ...orPass(deprecatedAnnotations(live), 'pod.deprecated-annotation', 'no pod uses the removed seccomp annotations'),
    ...orPass(podSecurityLabels(s.namespaces), 'namespace.pod-security', 'every namespace enforces a Pod Security level'),
    ...orPass(readinessTainted(s.nodes, s.agents ?? new Map()), 'node.profiles-not-ready', 'no node carries the readiness taint'),
  ];
}

function orPass(findings: ClusterFinding[], id: string, summary: string): ClusterFinding[] {
  return findings.length > 0 ? findings : [finding(id, 'pass', 'cluster', summary, '', '')];
}

function finding(id: string, status: CheckStatus, object: string, summary: string, detail: string, remedy: string): ClusterFinding {
  return { id, status, object, summary, detail, remedy };
}

interface ContainerRef {
  pod: V1Pod;
  container: V1Container;
  kind: 'container' | 'initContainer' | 'ephemeralContainer';
}

function containersOf(pod: V1Pod): ContainerRef[] {
  return [
    ...(pod.spec?.initContainers ?? []).map((container) => ({ pod, container, kind: 'initContainer' as const })),
    ...(pod.spec?.containers ?? []).map((container) => ({ pod, container, kind: 'container' as const })),
    ...(pod.spec?.ephemeralContainers ?? []).map((c) => ({ pod, container: c as V1Container, kind: 'ephemeralContainer' as const })),
  ];
}

/** The container's profile as the kubelet resolves it: the container's own, else the pod's. */
function effectiveProfile(ref: ContainerRef): V1SeccompProfile | undefined {
  return ref.container.securityContext?.seccompProfile ?? ref.pod.spec?.securityContext?.seccompProfile;
}

function podName(p: V1Pod): string {
  return `${p.metadata?.namespace}/${p.metadata?.name}`;
}

function missingProfiles(pods: V1Pod[], s: ClusterSnapshot): ClusterFinding[] {
  const out: ClusterFinding[] = [];
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    if (!node) continue;
    const present = s.profiles.get(node);
    for (const ref of containersOf(pod)) {
      const profile = effectiveProfile(ref);
      if (profile?.type !== 'Localhost' || !profile.localhostProfile) continue;
      if (present?.has(profile.localhostProfile)) continue;
      const object = `pod/${podName(pod)}`;
      const where = `container ${ref.container.name} on node ${node}`;
      if (!present) {
        out.push(
          finding(
            'pod.localhost-profile-missing',
            'skip',
            object,
            `cannot tell whether ${profile.localhostProfile} is on ${node}`,
            `${where}: the node's profiles could not be listed (no agent reached)`,
            '',
          ),
        );
        continue;
      }
      out.push(
        finding(
          'pod.localhost-profile-missing',
          'fail',
          object,
          `${where} references Localhost profile "${profile.localhostProfile}", which is not on the node`,
          `the kubelet fails the container with CreateContainerError (cannot load seccomp profile)`,
          `push it: kubectl seccomp push --node ${node} PROFILE.json (installs it as ${profile.localhostProfile}), or fix localhostProfile`,
        ),
      );
    }
  }
  return out;
}

function unconfined(pods: V1Pod[], s: ClusterSnapshot): ClusterFinding[] {
  const out: ClusterFinding[] = [];
  for (const pod of pods) {
    const node = pod.spec?.nodeName ?? '';
    for (const ref of containersOf(pod)) {
      if (ref.container.securityContext?.privileged) continue;
      const profile = effectiveProfile(ref);
      const object = `pod/${podName(pod)}`;
      if (profile?.type === 'Unconfined') {
        out.push(
          finding(
            'pod.unconfined',
            'warn',
            object,
            `container ${ref.container.name} runs Unconfined`,
            'seccompProfile.type is Unconfined (Pod Security baseline forbids it)',
            'set securityContext.seccompProfile.type: RuntimeDefault (or Localhost with a profile of its own)',
          ),
        );
      } else if (!profile && s.seccompDefault.get(node) !== true) {
        const known = s.seccompDefault.has(node);
        out.push(
          finding(
            'pod.unconfined',
            'warn',
            object,
            `container ${ref.container.name} sets no seccomp profile and ${known ? 'the kubelet default is off' : 'the kubelet default is unknown'} on ${node}`,
            known
              ? `kubelet seccompDefault is false on ${node}: the container runs Unconfined`
              : `without seccompDefault: true on ${node} the container runs Unconfined (the kubelet config was not readable: nodes/proxy)`,
            'set securityContext.seccompProfile.type: RuntimeDefault on the pod, or enable seccompDefault on the kubelet',
          ),
        );
      }
    }
  }
  return out;
}

function privilegedWithProfile(pods: V1Pod[]): ClusterFinding[] {
  return pods.flatMap((pod) =>
    containersOf(pod)
      .filter((ref) => ref.container.securityContext?.privileged && effectiveProfile(ref) && effectiveProfile(ref)?.type !== 'Unconfined')
      .map((ref) =>
        finding(
          'pod.privileged-profile-ignored',
          'warn',
          `pod/${podName(pod)}`,
          `container ${ref.container.name} is privileged: its seccomp profile (${effectiveProfile(ref)?.type}) is not applied`,
          'privileged containers always run unconfined',
          'drop privileged: true and add only the capabilities it needs, so the profile applies',
        ),
      ),
  );
}

function deprecatedAnnotations(pods: V1Pod[]): ClusterFinding[] {
  return pods.flatMap((pod) => {
    const keys = Object.keys(pod.metadata?.annotations ?? {}).filter((k) => k === DEPRECATED_POD_ANNOTATION || k.startsWith(DEPRECATED_CONTAINER_ANNOTATION));
    if (keys.length === 0) return [];
    return [
      finding(
        'pod.deprecated-annotation',
        'warn',
        `pod/${podName(pod)}`,
        `uses removed seccomp annotation${keys.length > 1 ? 's' : ''} ${keys.join(', ')}`,
        'the kubelet ignores these annotations since 1.25 (removed in 1.27): they have no effect',
        'move the profile to securityContext.seccompProfile (type RuntimeDefault or Localhost with localhostProfile)',
      ),
    ];
  });
}

function podSecurityLabels(namespaces: V1Namespace[]): ClusterFinding[] {
  return namespaces
    .filter((ns) => !ns.metadata?.labels?.['pod-security.kubernetes.io/enforce'])
    .map((ns) =>
      finding(
        'namespace.pod-security',
        'warn',
        `namespace/${ns.metadata?.name}`,
        `namespace ${ns.metadata?.name} has no Pod Security enforce label`,
        'admission accepts Unconfined pods here',
        `kubectl label namespace ${ns.metadata?.name} pod-security.kubernetes.io/enforce=baseline (restricted also requires an explicit seccompProfile)`,
      ),
    );
}

/** Nodes that still carry the readiness taint, each with why its agent has not removed it. */
function readinessTainted(nodes: V1Node[], agents: Map<string, AgentReport>): ClusterFinding[] {
  const tainted = nodes.filter((n) => (n.spec?.taints ?? []).some((t) => t.key === READINESS_TAINT_KEY));
  return tainted.map((n) => {
    const name = n.metadata?.name ?? '';
    const found = (status: CheckStatus, why: string, detail: string, remedy: string): ClusterFinding =>
      finding('node.profiles-not-ready', status, `node/${name}`, `${name} keeps the readiness taint ${READINESS_TAINT_KEY}: ${why}`, detail, remedy);
    const report = agents.get(name);
    if (report === undefined) {
      return found('warn', 'its agent was not checked', 'the node is not among the selected nodes', `run kubectl seccomp doctor --node ${name}`);
    }
    if ('problem' in report) {
      return found(
        'warn',
        'no agent answers for it',
        report.problem,
        `the agent removes the taint after its first complete reconcile: get the seccomp-agent DaemonSet's pod running and ready on ${name} (installed? scheduled? image pulled?)`,
      );
    }
    const reconcile = report.checks.find((c) => c.id === 'profiles.reconcile');
    if (reconcile === undefined) {
      return found(
        'warn',
        'its agent does not report on the readiness gate',
        'the agent is older than the readiness gate',
        'upgrade the agent (kubectl seccomp install)',
      );
    }
    if (reconcile.status === 'pass') {
      // The agent removed it (or found none) after the nodes were listed.
      return found('warn', `its agent reports: ${reconcile.summary}`, 'the taint was probably removed while doctor ran', 'run doctor again');
    }
    return found(reconcile.status === 'fail' ? 'fail' : 'warn', `its agent reports: ${reconcile.summary}`, reconcile.detail, reconcile.remedy);
  });
}
