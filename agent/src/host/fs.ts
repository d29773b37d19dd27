import { readFile, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';

/** The agent-visible path of a host path (absolute on the host) under the host root. */
export function inRoot(hostRoot: string, hostPath: string): string {
  return path.join(hostRoot, path.resolve('/', hostPath));
}

/** The host path of an agent-visible path, or undefined when it is not under the host root. */
export function hostPathOf(hostRoot: string, agentPath: string): string | undefined {
  const rel = path.relative(path.resolve(hostRoot), path.resolve(agentPath));
  if (rel === '') return '/';
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return '/' + rel.split(path.sep).join('/');
}

/** The error code of a failed fs call ("EACCES", ...), or the message when there is none. */
export function errorCode(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Reads a file that may legitimately be missing or unreadable on some hosts (a process that
 * exited, a file this kernel lacks, a permission the agent was not given): undefined then.
 */
export async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

export async function readOptionalBytes(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch {
    return undefined;
  }
}

export async function readdirOptional(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

export async function readlinkOptional(file: string): Promise<string | undefined> {
  try {
    return await readlink(file);
  } catch {
    return undefined;
  }
}
