import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The cgroup v2 hierarchy under the host root: /sys/fs/cgroup/unified on hybrid (v1 + v2) hosts,
 * /sys/fs/cgroup on pure v2 ones; undefined when there is none (v1 only).
 */
export async function findUnifiedHierarchy(hostRoot: string): Promise<string | undefined> {
  for (const dir of ['sys/fs/cgroup/unified', 'sys/fs/cgroup']) {
    const path = join(hostRoot, dir);
    if (
      await stat(join(path, 'cgroup.controllers')).then(
        () => true,
        () => false,
      )
    )
      return path;
  }
  return undefined;
}

/**
 * Every cgroup of the hierarchy as (id, path): in cgroup v2 a cgroup's id is its directory's inode
 * number, what bpf_get_current_cgroup_id() returns. Cgroups made later come from cgroup_mkdir events.
 */
export async function scanCgroups(root: string, visit: (cgroupId: number, path: string) => void, maxDepth = 16): Promise<void> {
  const walk = async (dir: string, path: string, depth: number): Promise<void> => {
    const info = await stat(dir).catch(() => undefined);
    if (!info) return; // removed while we looked
    visit(info.ino, path);
    if (depth >= maxDepth) return;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.isDirectory()) await walk(join(dir, entry.name), path === '/' ? `/${entry.name}` : `${path}/${entry.name}`, depth + 1);
    }
  };
  await walk(root, '/', 0);
}

/** The cgroup v2 path of each running process ("0::PATH" of /proc/PID/cgroup), for processes from before the tracker. */
export async function scanProcessCgroups(hostRoot: string, visit: (pid: number, path: string) => void): Promise<void> {
  const procDir = join(hostRoot, 'proc');
  const names = await readdir(procDir).catch(() => []);
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const text = await readFile(join(procDir, name, 'cgroup'), 'utf8').catch(() => '');
    const line = text.split('\n').find((l) => l.startsWith('0::'));
    if (line) visit(Number(name), line.slice(3));
  }
}
