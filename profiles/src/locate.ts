import { findNodeAtLocation } from 'jsonc-parser';
import type { JsonNode, LineIndex } from './json-text.js';
import type { ProfileIssue } from './model.js';

function decodePointer(pointer: string): (string | number)[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

/**
 * Adds line:column to issues found on a parsed profile (lint issues carry only a JSON pointer), by
 * finding each pointer in the syntax tree the profile was read from. Issues whose node is not in the
 * text stay as they are.
 */
export function locateIssues(root: JsonNode, lines: LineIndex, issues: readonly ProfileIssue[]): ProfileIssue[] {
  return issues.map((issue) => {
    if (issue.line !== undefined) return issue;
    const node = issue.path === '' ? root : findNodeAtLocation(root, decodePointer(issue.path));
    // A pointer at an absent key (e.g. "/flags" when there are none) lands on the enclosing object.
    const at = node ?? root;
    const keyNode = at.parent?.type === 'property' ? at.parent.children?.[0] : undefined;
    return { ...issue, ...lines.position((keyNode ?? at).offset) };
  });
}
