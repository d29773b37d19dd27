#!/usr/bin/env node
// The CLI as a few ESM files, made by `npm run build` (cli's `bundle` script, after tsc): what
// cli/bin/run.js runs, what `npm pack -w cli` ships and what the single-file executable
// (scripts/package.mjs) embeds. Loading oclif and the commands from node_modules means resolving
// and compiling hundreds of small files on every start; one bundle, split at every dynamic import,
// parses only what a command needs (`--help` and `lint` never load the Kubernetes client, Ink or
// gRPC).
//
// Layout under cli/dist (tsc's output beside it is not used at run time); the executable unpacks the
// same files under the same names:
//   bundle/cli.mjs             the entry: oclif's execute() with this package's pjson, root = cli/dist
//   bundle/commands/<id>.mjs   one entry per command: oclif imports only the command it runs
//   bundle/chunk-*.mjs         shared and lazily imported code
//   catalog/*.json             the profile catalog: profiles' catalogDir() is ../catalog/ from its module
//   oclif.manifest.json        the commands' metadata, with each command's file, so that `--help`
//                              imports no command and a command imports no other
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { build } from 'esbuild';
import { NODE_VERSION } from './node-version.mjs';
import { jsonAsParse, nodeEsmBundle, noDevtools, noTypescript } from './esbuild-plugins.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(root, 'cli');
/** What the bundle takes as oclif's root: every file it reads at run time is under it. */
const DIST = join(CLI, 'dist');

/** An oclif hook of cli/package.json (./dist/hooks/X.js): entry hooks/X, at bundle/hooks/X.mjs. */
function hookEntry(file) {
  const name = file.replace(/^\.\/dist\//, '').replace(/\.js$/, '');
  return { name, source: join(CLI, file), bundled: `./bundle/${name}.mjs` };
}

/** Command ids as oclif's pattern discovery finds them in cli/dist/commands (the dev manifest's). */
function commandIds() {
  const dir = join(DIST, 'commands');
  if (!existsSync(dir)) throw new Error('cli/dist/commands is missing: run `tsc -b` first');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js') && !f.endsWith('.test.js'))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** A command's entry name: esbuild writes it to bundle/<name>.mjs. */
const commandEntry = (id) => `commands/${id}`;
/** Where a command's entry lands, relative to cli/dist (the bundle's oclif root), as the manifest names it. */
const commandFile = (id) => ['bundle', ...`${commandEntry(id)}.mjs`.split('/')];

/**
 * The entry, generated. oclif's pattern discovery with a manifest that names each command's file and
 * module type imports that one file when the command runs (and none for `--help`); the commands
 * directory is never listed.
 */
function cliEntry() {
  const cliPjson = JSON.parse(readFileSync(join(CLI, 'package.json'), 'utf8'));
  const { scripts: _scripts, devDependencies: _dev, ...kept } = cliPjson;
  const hooks = Object.fromEntries(Object.entries(cliPjson.oclif.hooks ?? {}).map(([event, file]) => [event, hookEntry(file).bundled]));
  const pjson = { ...kept, oclif: { ...cliPjson.oclif, commands: './bundle/commands', hooks } };
  return `import { execute } from '@oclif/core/execute';
import { fileURLToPath } from 'node:url';
await execute({
  loadOptions: { root: fileURLToPath(new URL('../', import.meta.url)), pjson: ${JSON.stringify(pjson)}, userPlugins: false, devPlugins: false },
});
`;
}

/** Serves generated entries (by name) as modules that resolve imports from cli/dist. */
function virtualEntry(sources) {
  return {
    name: 'virtual-entries',
    setup(b) {
      b.onResolve({ filter: /^cli-entry$/ }, (args) => ({ path: args.path, namespace: 'virtual-entry' }));
      b.onLoad({ filter: /.*/, namespace: 'virtual-entry' }, (args) => ({ contents: sources[args.path], loader: 'js', resolveDir: DIST }));
    },
  };
}

/**
 * oclif's manifest of cli/ as `oclif manifest` would write it (commands found by pattern in
 * cli/dist/commands), each command pointing at its bundle entry instead of tsc's file.
 */
async function writeManifest(file) {
  const { Plugin } = await import('@oclif/core');
  const plugin = new Plugin({ root: CLI, type: 'core', ignoreManifest: true, errorOnManifestCreate: true });
  await plugin.load();
  const { manifest } = plugin;
  for (const [id, cmd] of Object.entries(manifest.commands)) Object.assign(cmd, { isESM: true, relativePath: commandFile(id) });
  writeFileSync(file, JSON.stringify(manifest));
}

const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

/** Writes the bundle and returns its files by their path relative to cli/dist (the names the executable unpacks them to). */
export async function bundleCli() {
  const out = join(DIST, 'bundle');
  const catalogOut = join(DIST, 'catalog');
  const manifest = join(DIST, 'oclif.manifest.json');
  for (const p of [out, catalogOut, manifest]) rmSync(p, { recursive: true, force: true });
  const ids = commandIds();
  const hooks = Object.values(JSON.parse(readFileSync(join(CLI, 'package.json'), 'utf8')).oclif.hooks ?? {}).map(hookEntry);
  const entry = (id) => [commandEntry(id), join(DIST, 'commands', `${id}.js`)];
  await build({
    ...nodeEsmBundle,
    entryPoints: { cli: 'cli-entry', ...Object.fromEntries(ids.map(entry)), ...Object.fromEntries(hooks.map((h) => [h.name, h.source])) },
    outdir: out,
    target: `node${NODE_VERSION}`,
    plugins: [virtualEntry({ 'cli-entry': cliEntry() }), noDevtools, noTypescript, jsonAsParse],
  });
  const catalog = join(root, 'profiles/catalog');
  mkdirSync(catalogOut, { recursive: true });
  for (const f of readdirSync(catalog)) copyFileSync(join(catalog, f), join(catalogOut, f));
  await writeManifest(manifest);
  const files = [...walk(out), ...readdirSync(catalogOut).map((f) => join(catalogOut, f)), manifest];
  return { ids, files: Object.fromEntries(files.map((f) => [relative(DIST, f), f])) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await bundleCli();
