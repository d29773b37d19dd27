/** One --agent value: "HOST:PORT" or "NODE=HOST:PORT" ("[::1]:PORT" for IPv6). */
export interface AgentSpec {
  node: string;
  address: string;
  /** The node was named (NODE=HOST:PORT); otherwise `node` is the address until the agent says its name. */
  named: boolean;
}

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/;

/** `where` names the value in errors: the flag, or the file and line it came from. */
export function parseAgentSpec(value: string, where = `--agent "${value}"`): AgentSpec {
  const eq = value.indexOf('=');
  const name = eq >= 0 ? value.slice(0, eq).trim() : '';
  const address = (eq >= 0 ? value.slice(eq + 1) : value).trim();
  const match = HOST_PORT.exec(address);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) {
    throw new Error(`${where}: expected HOST:PORT or NODE=HOST:PORT (port 1-65535)`);
  }
  if (eq >= 0 && name === '') throw new Error(`${where}: the node name before "=" is empty`);
  return { node: name || address, address, named: name !== '' };
}

/** Parses every --agent value; two agents for the same node would make the report ambiguous. */
export function parseAgentSpecs(values: string[]): AgentSpec[] {
  return distinctNodes(values.map((v) => parseAgentSpec(v)));
}

/**
 * An agents list (--agents-file): one --agent value per line; blank lines and lines starting with
 * "#" are skipped. `source` (the file name, or "stdin") and the line number name a bad entry.
 */
export function parseAgentsList(text: string, source: string): AgentSpec[] {
  const specs: AgentSpec[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    specs.push(parseAgentSpec(line, `${source}:${i + 1}: "${line}"`));
  }
  return specs;
}

export function distinctNodes(specs: AgentSpec[]): AgentSpec[] {
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.node)) throw new Error(`--agent: node "${spec.node}" is given more than once`);
    seen.add(spec.node);
  }
  return specs;
}
