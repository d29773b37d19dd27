import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const MANIFESTS = join(REPO, 'manifests');

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

export function hasKubectl(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
}

/** Skips the suite when a prerequisite is missing, but fails it under CI. */
export function requirePrerequisite(ctx: Mocha.Context, ok: boolean, what: string): void {
  if (ok) return;
  if (process.env.CI) throw new Error(`${what} (required under CI)`);
  console.log(`      skipped: ${what}`);
  ctx.skip();
}

export function kustomizeText(dir: string): string {
  return execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
}

export function kustomize(dir: string): KubeObject[] {
  return parseAllDocuments(kustomizeText(dir)).map((d) => d.toJS() as KubeObject);
}

/**
 * manifests/base rendered by kustomize for another namespace and image: `namespace:` plus a
 * NamespaceTransformer that moves every ServiceAccount subject (kustomize's default moves only
 * subjects named "default"), and `images:`.
 */
export function kustomizeFor(namespace: string, image: { name: string; tag: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'kseccomp-kustomize-'));
  try {
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${namespace}
resources:
  - ${relative(dir, join(MANIFESTS, 'base'))}
transformers:
  - |-
    apiVersion: builtin
    kind: NamespaceTransformer
    metadata:
      name: namespace
      namespace: ${namespace}
    setRoleBindingSubjects: allServiceAccounts
images:
  - name: ghcr.io/kubectl-seccomp/seccomp-agent
    newName: ${image.name}
    newTag: "${image.tag}"
`,
    );
    return kustomizeText(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
