import { parseProfile } from '@kubectl-seccomp/profiles';
import { AgentError, type SyncProfilesRequest } from '@kubectl-seccomp/proto';
import { pathProblem } from './paths.js';

export interface Limits {
  maxProfileBytes: number;
  maxRequestBytes: number;
  maxFiles: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxProfileBytes: 256 * 1024,
  maxRequestBytes: 1536 * 1024,
  maxFiles: 1000,
};

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The path as the client sent it, quoted only when it holds characters a log line should not. */
const show = (path: string): string => (/^[\x21-\x7e]+$/.test(path) ? path : JSON.stringify(path));

const refuse = (path: string, why: string): never => {
  throw new AgentError('invalid-argument', `${show(path)}: ${why}`);
};

/**
 * Refuses the whole request (AgentError 'invalid-argument', naming the path and why) unless every
 * entry is acceptable: checked before anything on disk is looked at, so a bad request changes nothing.
 */
export function validateRequest(req: SyncProfilesRequest, limits: Limits): void {
  const entries = req.files.length + req.unchanged.length;
  if (entries > limits.maxFiles) {
    throw new AgentError('invalid-argument', `request names ${entries} files; at most ${limits.maxFiles} allowed`);
  }
  const seen = new Set<string>();
  const claim = (path: string): void => {
    const problem = pathProblem(path);
    if (problem !== undefined) refuse(path, problem);
    if (seen.has(path)) refuse(path, 'named more than once in the request');
    seen.add(path);
  };
  let total = 0;
  for (const file of req.files) {
    claim(file.path);
    const size = file.content.byteLength;
    if (size > limits.maxProfileBytes) refuse(file.path, `${size} bytes; a profile may hold at most ${limits.maxProfileBytes}`);
    total += size;
  }
  if (total > limits.maxRequestBytes) {
    throw new AgentError('invalid-argument', `request carries ${total} bytes of profiles; at most ${limits.maxRequestBytes} allowed`);
  }
  for (const ref of req.unchanged) {
    claim(ref.path);
    if (!SHA256_HEX.test(ref.sha256)) refuse(ref.path, 'unchanged entry needs a lowercase hex sha256');
  }
  // A file where another entry needs a directory: a dry run could not tell, so refuse it up front.
  for (const path of seen) {
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const dir = segments.slice(0, i).join('/');
      if (seen.has(dir)) refuse(path, `needs ${dir} to be a directory, but the request names it as a file`);
    }
  }
  for (const file of req.files) checkProfile(file.path, file.content);
}

function checkProfile(path: string, content: Uint8Array): void {
  const problem = profileProblem(content, path);
  if (problem !== '') throw new AgentError('invalid-argument', `${path}: ${problem}`);
}

/**
 * Why the bytes are not a usable profile, led by the JSON pointer (or line) of the first error,
 * e.g. "/syscalls/0/action: ..."; '' when they are one.
 */
export function profileProblem(content: Uint8Array | string, source: string): string {
  const parsed = parseProfile(content, source);
  if (parsed.ok) return '';
  const [first, ...rest] = parsed.errors;
  if (first === undefined) return 'not a valid profile';
  const where = first.path !== '' ? `${first.path}: ` : first.line !== undefined ? `line ${first.line}: ` : '';
  const more = rest.length > 0 ? ` (and ${rest.length} more)` : '';
  return `${where}${first.message}${more}`;
}
