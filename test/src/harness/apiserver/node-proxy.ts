/** The kubelet's endpoints behind GET /api/v1/nodes/NODE/proxy/...: only configz, the kubelet's live config. */
export class NodeProxy {
  readonly #configz = new Map<string, unknown>();

  setKubeletConfig(node: string, kubeletConfig: unknown): void {
    this.#configz.set(node, kubeletConfig);
  }

  /** The body to answer, or undefined for 404. */
  answer(node: string | undefined, path: string[]): unknown {
    const config = node ? this.#configz.get(node) : undefined;
    if (path.join('/') !== 'configz' || config === undefined) return undefined;
    return { kubeletconfig: config };
  }
}
