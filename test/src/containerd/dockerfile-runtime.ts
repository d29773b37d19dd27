/** What a Dockerfile's last stage (the image that ships) sets, read statically: no Docker here. */
export interface RuntimeStage {
  env: Record<string, string>;
  workdir?: string;
  user?: string;
  entrypoint?: string[];
  /** COPY --from=<stage> sources (paths inside that stage) and their destinations, made absolute against WORKDIR. */
  copies: { from: string; source: string; dest: string }[];
  /** `ln -s TARGET LINK` in RUN lines. */
  symlinks: { target: string; link: string }[];
  /** Debian packages of `apt-get install` in RUN lines. */
  packages: string[];
}

/** Instructions with their continuation lines joined; comments and blank lines dropped. */
function instructions(text: string): string[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** KEY=VALUE pairs of an ENV line, values optionally double-quoted. */
function envPairs(rest: string): [string, string][] {
  return [...rest.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g)].map(([, k, v]) => [k!, v!.startsWith('"') ? (JSON.parse(v!) as string) : v!]);
}

export function parseRuntimeStage(dockerfile: string): RuntimeStage {
  const all = instructions(dockerfile);
  const lastFrom = all.map((l) => /^FROM\s/i.test(l)).lastIndexOf(true);
  const stage: RuntimeStage = { env: {}, copies: [], symlinks: [], packages: [] };
  for (const line of all.slice(lastFrom + 1)) {
    const [, op, rest] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    switch (op?.toUpperCase()) {
      case 'ENV':
        Object.assign(stage.env, Object.fromEntries(envPairs(rest!)));
        break;
      case 'WORKDIR':
        stage.workdir = rest;
        break;
      case 'USER':
        stage.user = rest;
        break;
      case 'ENTRYPOINT':
        stage.entrypoint = JSON.parse(rest!) as string[];
        break;
      case 'COPY': {
        const m = /^--from=(\S+)\s+(\S+)\s+(\S+)$/.exec(rest!);
        if (!m) throw new Error(`COPY form not understood: ${line}`);
        const dest = m[3]!.startsWith('/') ? m[3]! : `${stage.workdir ?? ''}/${m[3]}`;
        stage.copies.push({ from: m[1]!, source: m[2]!, dest });
        break;
      }
      case 'RUN':
        for (const s of rest!.matchAll(/\bln -s (\S+) (\S+)/g)) stage.symlinks.push({ target: s[1]!, link: s[2]! });
        for (const a of rest!.matchAll(/apt-get install ((?:-\S+\s+)*)([^&;]+)/g)) stage.packages.push(...a[2]!.trim().split(/\s+/));
        break;
    }
  }
  return stage;
}
