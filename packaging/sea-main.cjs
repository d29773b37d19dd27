// The single executable's main script. Node 24 runs only CommonJS as a SEA main, and the CLI is
// ESM with top-level await (ink), so the CLI's bundle (scripts/bundle-cli.mjs: bundle/*.mjs, with the
// profile catalog and oclif's manifest beside it) travels as assets. Importing it from data: URLs is
// slow and breaks its relative imports, so the assets are unpacked once per build into a private
// cache directory and the bundle is imported from there through the main context's ESM loader (the
// SEA require() loads builtins only).
const { getAsset } = require('node:sea');
const fs = require('node:fs');
const { enableCompileCache } = require('node:module');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');

// The loader constant is still marked experimental in Node 24; the user has nothing to act on.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  if (String(warning).includes('USE_MAIN_CONTEXT_DEFAULT_LOADER')) return;
  return emitWarning.call(process, warning, ...rest);
};

function cacheBase() {
  const base = process.env.XDG_CACHE_HOME || (os.homedir() ? path.join(os.homedir(), '.cache') : os.tmpdir());
  return path.join(base, `kubectl-seccomp-${process.getuid ? process.getuid() : 'user'}`);
}

/** Code is run from `dir` only if no other user can have put or changed anything in it. */
function assertPrivate(dir) {
  const st = fs.lstatSync(dir);
  if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid()) || (st.mode & 0o022) !== 0) {
    throw new Error(`${dir} is not a private directory of this user: refusing to run code from it`);
  }
}

/** Every asset there with this build's size. The directory is named by the build id (a hash of every asset). */
function complete(dir, files) {
  try {
    return Object.entries(files).every(([name, size]) => fs.statSync(path.join(dir, name)).size === size);
  } catch {
    return false;
  }
}

/**
 * The directory holding this build's assets, unpacked on the first run: into a temporary directory
 * first, renamed into place only when complete, so that a crash or a concurrent first run never
 * leaves a half-written bundle where the next start imports it.
 */
function unpack() {
  const manifest = JSON.parse(getAsset('manifest.json', 'utf8'));
  const base = cacheBase();
  fs.mkdirSync(base, { recursive: true, mode: 0o700 });
  assertPrivate(base);
  const dir = path.join(base, manifest.id);
  if (fs.existsSync(dir)) {
    assertPrivate(dir);
    if (complete(dir, manifest.files)) return path.join(dir, manifest.main);
  }
  const tmp = fs.mkdtempSync(path.join(base, `.${manifest.id}-`));
  for (const name of Object.keys(manifest.files)) {
    fs.mkdirSync(path.dirname(path.join(tmp, name)), { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(tmp, name), Buffer.from(getAsset(name)), { mode: 0o600 });
  }
  try {
    fs.renameSync(tmp, dir);
  } catch (err) {
    if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    // Another start got there first (then it is complete), or a damaged copy is in the way.
    assertPrivate(dir);
    if (complete(dir, manifest.files)) {
      fs.rmSync(tmp, { recursive: true, force: true });
    } else {
      const stale = `${tmp}.stale`;
      fs.renameSync(dir, stale);
      fs.renameSync(tmp, dir);
      fs.rmSync(stale, { recursive: true, force: true });
    }
  }
  return path.join(dir, manifest.main);
}

const importModule = new vm.Script('(specifier) => import(specifier)', {
  filename: 'kubectl-seccomp-sea-main.cjs',
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
}).runInThisContext();

Promise.resolve()
  .then(() => {
    const entry = unpack();
    // V8's code for the bundle, reused from the second run, in the private directory the bundle is
    // unpacked to (as cli/bin/run.js does; NODE_COMPILE_CACHE and NODE_DISABLE_COMPILE_CACHE as in Node).
    enableCompileCache(process.env.NODE_COMPILE_CACHE || path.join(cacheBase(), 'compile-cache'));
    return importModule(pathToFileURL(entry).href);
  })
  .catch((err) => {
    process.stderr.write(`kubectl-seccomp: ${(err && err.stack) || err}\n`);
    process.exitCode = 1;
  });
