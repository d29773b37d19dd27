#!/usr/bin/env node
// The bundle `npm run build` writes (scripts/bundle-cli.mjs): oclif and the commands in a few files,
// imported once the compile cache is on, so that V8's code for them is reused from the second run.
import { mkdirSync } from 'node:fs';
import module from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * This user's own cache dir (the single-file executable's too), made private: Node's default is
 * shared under os.tmpdir(), where another user could plant code. Undefined when there is no home.
 */
function userCompileCache() {
  try {
    const base = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), `kubectl-seccomp-${process.getuid()}`);
    mkdirSync(base, { recursive: true, mode: 0o700 });
    return join(base, 'compile-cache');
  } catch {
    return undefined;
  }
}

// NODE_COMPILE_CACHE=DIR overrides the directory and NODE_DISABLE_COMPILE_CACHE=1 turns it off, as in Node.
const dir = process.env.NODE_COMPILE_CACHE || userCompileCache();
if (dir) module.enableCompileCache(dir);
await import('../dist/bundle/cli.mjs');
