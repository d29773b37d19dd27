// The single executable's main script. Node 20 runs only CommonJS as a SEA main, and the CLI is
// ESM with top-level await (ink), so the ESM bundle travels as an asset ("dist/cli.mjs", with the
// profile catalog it reads beside it). Importing it from a data: URL takes seconds for a bundle this
// size, so the assets are written once to a private cache directory (checked by content hash on every
// start) and the bundle is imported from there through the main context's ESM loader (the SEA
// require() loads builtins only).
const { getAsset } = require('node:sea');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');

// The loader constant is marked experimental in Node 20; the user has nothing to act on.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  if (String(warning).includes('USE_MAIN_CONTEXT_DEFAULT_LOADER')) return;
  return emitWarning.call(process, warning, ...rest);
};

function cacheDir() {
  const base = process.env.XDG_CACHE_HOME || (os.homedir() ? path.join(os.homedir(), '.cache') : os.tmpdir());
  return path.join(base, `kubectl-seccomp-${process.getuid ? process.getuid() : 'user'}`);
}

function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The bundle and the files it reads beside itself (the profile catalog, found from import.meta.url)
 * in a directory only this user can write, each rewritten when its content is not this build's.
 */
function unpack() {
  const manifest = JSON.parse(getAsset('manifest.json', 'utf8'));
  const dir = path.join(cacheDir(), manifest.id);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid()) || (st.mode & 0o022) !== 0) {
    throw new Error(`${dir} is not a private directory of this user: refusing to run code from it`);
  }
  for (const [name, digest] of Object.entries(manifest.files)) {
    const file = path.join(dir, name);
    let current;
    try {
      current = sha256(fs.readFileSync(file));
    } catch {
      current = undefined;
    }
    if (current === digest) continue;
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.from(getAsset(name)), { mode: 0o600 });
    fs.renameSync(tmp, file);
  }
  return path.join(dir, manifest.main);
}

const importModule = new vm.Script('(specifier) => import(specifier)', {
  filename: 'kubectl-seccomp-sea-main.cjs',
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
}).runInThisContext();

Promise.resolve()
  .then(() => importModule(pathToFileURL(unpack()).href))
  .catch((err) => {
    process.stderr.write(`kubectl-seccomp: ${(err && err.stack) || err}\n`);
    process.exitCode = 1;
  });
