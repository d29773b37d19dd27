import { readFile } from 'node:fs/promises';
import { CATALOG, loadCatalog, parseProfile, type SeccompProfile } from '@kubectl-seccomp/profiles';
import { UserError } from '../../errors.js';

/** One side of a diff, read and validated. */
export interface DiffSide {
  /** The file, "catalog:NAME" or "node/NAME:PATH". */
  source: string;
  profile: SeccompProfile;
}

const NODE_SPEC = /^node\/([^:]+):(.+)$/;

/** Reads the node's copy of a profile ("node/NAME:PATH"): given only in Kubernetes or --agent mode. */
export type NodeProfileReader = (node: string, path: string) => Promise<string>;

/** A file, a catalog name, or `node/NAME:PATH` (through readNode); a file wins over a catalog name. */
export async function readDiffSide(spec: string, readNode?: NodeProfileReader): Promise<DiffSide> {
  const onNode = NODE_SPEC.exec(spec);
  if (onNode) {
    if (!readNode) throw new UserError(`${spec}: reading a node's copy needs its agent (Kubernetes mode or --agent)`);
    return parsed(await readNode(onNode[1]!, onNode[2]!), spec);
  }
  const text = await readFile(spec).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw new UserError(`${spec}: ${err.message}`);
    return undefined;
  });
  if (text !== undefined) return parsed(text, spec);
  const entry = (await loadCatalog()).find((e) => e.name === spec);
  if (entry) return { source: `catalog:${entry.name}`, profile: entry.profile };
  throw new UserError(`${spec}: no such file, and no catalog profile of that name (catalog: ${CATALOG.map((e) => e.name).join(', ')})`);
}

function parsed(text: string | Uint8Array, source: string): DiffSide {
  const r = parseProfile(text, source);
  if (!r.ok) throw new UserError(`${source} is not a valid profile:\n${r.errors.map((e) => `  ${e.path || '/'}: ${e.message} (${e.code})`).join('\n')}`);
  return { source, profile: r.profile };
}
