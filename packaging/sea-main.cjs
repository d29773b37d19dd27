// The single executable's main script. Node 20 runs only CommonJS as a SEA main, and the CLI is
// ESM with top-level await (ink), so the ESM bundle travels as the asset "cli.mjs" and is imported
// from a data: URL through the main context's ESM loader (the SEA require() loads builtins only).
const { getAsset } = require('node:sea');
const vm = require('node:vm');

// The loader constant is marked experimental in Node 20; the user has nothing to act on.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  if (String(warning).includes('USE_MAIN_CONTEXT_DEFAULT_LOADER')) return;
  return emitWarning.call(process, warning, ...rest);
};

const source = getAsset('cli.mjs', 'utf8');
const importModule = new vm.Script('(specifier) => import(specifier)', {
  filename: 'kubectl-seccomp-sea-main.cjs',
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
}).runInThisContext();
importModule(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`).catch((err) => {
  const text = String((err && err.stack) || err).replace(/data:text\/javascript;base64,[A-Za-z0-9+/=]+/g, 'cli.mjs');
  process.stderr.write(`kubectl-seccomp: ${text}\n`);
  process.exitCode = 1;
});
