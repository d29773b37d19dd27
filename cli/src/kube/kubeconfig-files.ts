import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * The kubeconfig files kubectl would read: --kubeconfig alone; else every existing file of
 * KUBECONFIG (missing ones skipped, repeats read once); else ~/.kube/config if it exists.
 * An empty list means there is no kubeconfig at all.
 */
export function kubeconfigFiles(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (explicit) return [explicit];
  if (env.KUBECONFIG) return [...new Set(env.KUBECONFIG.split(delimiter).filter((f) => f !== ''))].filter((f) => existsSync(f));
  const home = join(env.HOME || homedir(), '.kube', 'config');
  return existsSync(home) ? [home] : [];
}

interface Named {
  name: string;
}

/** kubectl's merge: the first file to define a name (or the current context) wins; later ones are ignored. */
export function firstByName<T extends Named>(lists: readonly (readonly T[])[]): T[] {
  const seen = new Map<string, T>();
  for (const item of lists.flat()) if (!seen.has(item.name)) seen.set(item.name, item);
  return [...seen.values()];
}
