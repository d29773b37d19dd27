// Temporary stubs: each is replaced by its real module (parse.ts, lint.ts, ...). Signatures are the contract.
import type { ParseResult, ProfileIssue, ScmpArch, SeccompProfile } from './model.js';

const todo = (): never => {
  throw new Error('not implemented yet');
};

export function parseProfile(_text: string | Uint8Array, _source: string): ParseResult { return todo(); }
export interface LintOptions { source?: string }
export function lintProfile(_profile: SeccompProfile, _opts?: LintOptions): ProfileIssue[] { return todo(); }
export interface FlattenTarget { arch: ScmpArch; kernel?: string; caps?: string[] }
export function flatten(_profile: SeccompProfile, _target: FlattenTarget): SeccompProfile { return todo(); }
export function canonicalize(_profile: SeccompProfile): string { return todo(); }
export function profileDigest(_profile: SeccompProfile): string { return todo(); }
export function sha256Hex(_bytes: string | Uint8Array): string { return todo(); }
export function serializeProfile(_profile: SeccompProfile): string { return todo(); }
export function toAuditMode(_profile: SeccompProfile): SeccompProfile { return todo(); }
export function withLogFlag(_profile: SeccompProfile): SeccompProfile { return todo(); }
export interface CatalogEntry { name: string; file: string; description: string; text: string; profile: SeccompProfile }
export function catalogDir(): string { return todo(); }
export function loadCatalog(): Promise<CatalogEntry[]> { return todo(); }
