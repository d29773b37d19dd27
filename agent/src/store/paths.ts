/**
 * Which relative paths a client may name in the profile store. Deliberately narrower than what the
 * kubelet accepts: every name the agent writes or deletes must be unambiguous, visible and inside the
 * root, whatever the client sends.
 */

export const MAX_SEGMENT_BYTES = 255;
export const MAX_PATH_BYTES = 1024;
export const MAX_DEPTH = 8;

const SEGMENT = /^[A-Za-z0-9._-]+$/;

/** Why `path` is not an acceptable profile path, or undefined when it is. */
export function pathProblem(path: string): string | undefined {
  if (path === '') return 'empty path';
  if (path.includes('\0')) return 'contains a NUL byte';
  if (path.includes('\\')) return 'contains a backslash; use "/" as separator';
  if (path.startsWith('/')) return 'absolute path; paths are relative to the profile dir';
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) return `longer than ${MAX_PATH_BYTES} bytes`;
  const segments = path.split('/');
  if (segments.length > MAX_DEPTH) return `deeper than ${MAX_DEPTH} levels`;
  for (const segment of segments) {
    if (segment === '') return 'empty path segment';
    if (segment === '.' || segment === '..') return `${JSON.stringify(segment)} segment not allowed`;
    if (segment.startsWith('.')) return `hidden name ${JSON.stringify(segment)} not allowed`;
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) return `segment longer than ${MAX_SEGMENT_BYTES} bytes`;
    if (!SEGMENT.test(segment)) return `segment ${JSON.stringify(segment)} may only hold A-Z a-z 0-9 . _ -`;
  }
  if (!path.endsWith('.json')) return 'must end in .json';
  return undefined;
}
