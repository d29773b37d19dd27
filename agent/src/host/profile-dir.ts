import { constants } from 'node:fs';
import { access, lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseProfile, type ParseResult } from '@kubectl-seccomp/profiles';
import { errorCode, hostPathOf } from './fs.js';
import { resolveInRoot } from './resolve.js';

/** Files beyond these limits are reported, not parsed: the doctor must stay cheap on any node. */
export const MAX_PROFILE_FILES = 5000;
export const MAX_PROFILE_BYTES = 1024 * 1024;

export interface ProfileFileFacts {
  /** Relative to the profile dir, "/" separated. */
  path: string;
  /** Why it is not a usable profile; "" when it parses. */
  error: string;
}

export interface ProfileDirFacts {
  /** As the agent sees it. */
  path: string;
  /** The host path, undefined when the dir is not under the host root. */
  hostPath: string | undefined;
  /** hostPath with symlinks resolved as the host resolves them. */
  resolvedHostPath: string | undefined;
  /** Where the agent's own writes land (realpath in the agent's filesystem); undefined when missing. */
  agentRealPath: string | undefined;
  /** agentRealPath as a host path; undefined when it is outside the host root (or missing). */
  agentRealHostPath: string | undefined;
  exists: boolean;
  isDirectory: boolean;
  /** The dir itself is a symlink. */
  isSymlink: boolean;
  writable: boolean;
  /** The errno code of access(W_OK), "" when writable. */
  writeError: string;
  files: ProfileFileFacts[];
  /** More than MAX_PROFILE_FILES *.json files: the rest were not looked at. */
  truncated: boolean;
}

async function listJsonFiles(root: string): Promise<{ files: string[]; truncated: boolean }> {
  const files: string[] = [];
  const walk = async (rel: string): Promise<boolean> => {
    let entries;
    try {
      entries = await readdir(path.join(root, rel), { withFileTypes: true });
    } catch {
      return true;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      // Hidden names are the store's own (its index, temp files), skipped as the store skips them.
      if (entry.name.startsWith('.')) continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      // Symlinked dirs are not followed: they may point anywhere in the agent's filesystem.
      if (entry.isDirectory()) {
        if (!(await walk(child))) return false;
      } else if (entry.name.endsWith('.json') && (entry.isFile() || entry.isSymbolicLink())) {
        if (files.length >= MAX_PROFILE_FILES) return false;
        files.push(child);
      }
    }
    return true;
  };
  const complete = await walk('');
  return { files, truncated: !complete };
}

function describeParse(result: ParseResult): string {
  if (result.ok) return '';
  return result.errors
    .slice(0, 3)
    .map((e) => {
      const where = [e.path, e.line !== undefined ? `line ${e.line}${e.column !== undefined ? `:${e.column}` : ''}` : ''].filter(Boolean).join(' ');
      return where ? `${where}: ${e.message}` : e.message;
    })
    .join('; ');
}

async function checkFile(dir: string, rel: string): Promise<ProfileFileFacts> {
  const file = path.join(dir, rel);
  try {
    const st = await lstat(file);
    if (st.isSymbolicLink()) return { path: rel, error: 'is a symbolic link: the agent neither writes nor follows links' };
    if (!st.isFile()) return { path: rel, error: 'not a regular file' };
    // As the store reads: never through a link swapped in since the lstat, never blocking on a FIFO.
    const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const opened = await handle.stat();
      if (!opened.isFile()) return { path: rel, error: 'not a regular file' };
      if (opened.size > MAX_PROFILE_BYTES) return { path: rel, error: `larger than ${MAX_PROFILE_BYTES} bytes` };
      const bytes = await handle.readFile();
      return { path: rel, error: describeParse(parseProfile(bytes, rel)) };
    } finally {
      await handle.close();
    }
  } catch (err) {
    return { path: rel, error: `unreadable (${errorCode(err)})` };
  }
}

/** Everything about the profile dir: where it really is, whether it is usable, what it holds. */
export async function readProfileDir(hostRoot: string, profileDir: string): Promise<ProfileDirFacts> {
  const hostPath = hostPathOf(hostRoot, profileDir);
  const facts: ProfileDirFacts = {
    path: profileDir,
    hostPath,
    resolvedHostPath: hostPath === undefined ? undefined : await resolveInRoot(hostRoot, hostPath),
    agentRealPath: undefined,
    agentRealHostPath: undefined,
    exists: false,
    isDirectory: false,
    isSymlink: false,
    writable: false,
    writeError: '',
    files: [],
    truncated: false,
  };
  try {
    facts.isSymlink = (await lstat(profileDir)).isSymbolicLink();
    facts.isDirectory = (await stat(profileDir)).isDirectory();
    facts.exists = true;
    facts.agentRealPath = await realpath(profileDir);
    facts.agentRealHostPath = hostPathOf(await realpath(hostRoot), facts.agentRealPath);
  } catch {
    return facts;
  }
  try {
    await access(profileDir, constants.W_OK);
    facts.writable = true;
  } catch (err) {
    facts.writeError = errorCode(err);
  }
  if (!facts.isDirectory) return facts;
  const { files, truncated } = await listJsonFiles(profileDir);
  facts.truncated = truncated;
  for (const rel of files) facts.files.push(await checkFile(profileDir, rel));
  return facts;
}
