import type { CoreV1Api, V1Node } from '@kubernetes/client-node';

/**
 * The kubelet's live seccompDefault per node, from GET /api/v1/nodes/NODE/proxy/configz. That needs
 * nodes/proxy, a powerful permission: used when the user has it, never required (a 401/403 ends the
 * attempt for all nodes and the value stays unknown).
 */
export async function readSeccompDefaults(core: CoreV1Api, nodes: V1Node[], log: (m: string) => void): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>();
  for (const node of nodes) {
    const name = node.metadata?.name;
    if (!name) continue;
    let text: string;
    try {
      text = await core.connectGetNodeProxyWithPath({ name, path: 'configz' });
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code === 401 || code === 403) {
        log("configz: nodes/proxy is not permitted; the kubelets' seccompDefault stays unknown");
        break;
      }
      log(`configz ${name}: ${(err as Error).message}`);
      continue;
    }
    const body = parse(text) as { kubeletconfig?: { seccompDefault?: boolean } } | undefined;
    if (body?.kubeletconfig) out.set(name, body.kubeletconfig.seccompDefault === true);
  }
  return out;
}

function parse(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
