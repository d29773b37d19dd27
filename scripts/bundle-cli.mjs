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
//   bundle/oclif.mjs           oclif's parts for the commands built on their own (SELF_CONTAINED)
//   bundle/chunk-*.mjs         shared and lazily imported code
//   catalog/*.json             the profile catalog: profiles' catalogDir() is ../catalog/ from its module
//   oclif.manifest.json        the commands' metadata, with each command's file, so that `--help`
//                              imports no command and a command imports no other
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { build } from 'esbuild';
import { NODE_VERSION } from './node-version.mjs';
import { inlineHealthProto, jsonAsParse, nodeEsmBundle, noDevtools, noTypescript, oclifStartPatches } from './esbuild-plugins.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(root, 'cli');
/** What the bundle takes as oclif's root: every file it reads at run time is under it. */
const DIST = join(CLI, 'dist');

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
  const pjson = { ...kept, oclif: { ...cliPjson.oclif, commands: './bundle/commands' } };
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
      b.onResolve({ filter: /^(cli|oclif)-entry$/ }, (args) => ({ path: args.path, namespace: 'virtual-entry' }));
      b.onLoad({ filter: /.*/, namespace: 'virtual-entry' }, (args) => ({ contents: sources[args.path], loader: 'js', resolveDir: DIST }));
    },
  };
}

/**
 * Commands built on their own, all their code but oclif in their one file (and chunks for what they
 * import dynamically): `lint` then loads a few modules instead of the twenty-odd chunks it shares
 * with the other commands, each a file read, a resolve and a link at start.
 */
const SELF_CONTAINED = ['lint'];

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

/**
 * The oclif modules the commands import, as one module of the main build: a command built on its own
 * (SELF_CONTAINED) takes oclif from it, so that there is one oclif, whose Command its classes extend.
 */
const OCLIF_PARTS = { args: 'Args', errors: 'Errors', flags: 'Flags', command: 'CommandModule' };
const OCLIF_SHARED = 'oclif.mjs';
const oclifSharedSource = Object.entries(OCLIF_PARTS)
  .map(([part, name]) => `export * as ${name} from '@oclif/core/${part}';`)
  .join('\n');

/** Named exports of a CommonJS part as ESM sees them (Node 22+ adds a 'module.exports' name beside 'default'). */
const namedExports = (ns) => Object.keys(ns).filter((n) => n !== 'default' && n !== 'module.exports' && !n.startsWith('__'));

/** Resolves a command's imports of oclif's parts to the main build's OCLIF_SHARED, left external. */
async function oclifFromShared(fromFile, sharedFile) {
  const names = Object.fromEntries(
    await Promise.all(Object.keys(OCLIF_PARTS).map(async (part) => [part, namedExports(await import(`@oclif/core/${part}`))])),
  );
  const fromDir = relative(dirname(fromFile), sharedFile);
  const shared = fromDir.startsWith('.') ? fromDir : `./${fromDir}`;
  return {
    name: 'oclif-from-shared',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^@oclif/core/(${Object.keys(OCLIF_PARTS).join('|')})$`) }, (args) => ({ path: args.path.split('/').pop(), namespace: 'oclif-shared' }));
      b.onResolve({ filter: /^oclif-shared$/ }, () => ({ path: shared, external: true }));
      b.onLoad({ filter: /.*/, namespace: 'oclif-shared' }, (args) => ({
        contents: `import { ${OCLIF_PARTS[args.path]} as part } from 'oclif-shared';\nexport const { ${names[args.path].join(', ')} } = part;\n`,
        loader: 'js',
      }));
    },
  };
}

const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

/** Writes the bundle and returns its files by their path relative to cli/dist (the names the executable unpacks them to). */
export async function bundleCli() {
  const out = join(DIST, 'bundle');
  const catalogOut = join(DIST, 'catalog');
  const manifest = join(DIST, 'oclif.manifest.json');
  for (const p of [out, catalogOut, manifest]) rmSync(p, { recursive: true, force: true });
  const ids = commandIds();
  const entry = (id) => [commandEntry(id), join(DIST, 'commands', `${id}.js`)];
  const plugins = [inlineHealthProto, noDevtools, noTypescript, oclifStartPatches, jsonAsParse];
  await build({
    ...nodeEsmBundle,
    entryPoints: { cli: 'cli-entry', oclif: 'oclif-entry', ...Object.fromEntries(ids.filter((id) => !SELF_CONTAINED.includes(id)).map(entry)) },
    outdir: out,
    target: `node${NODE_VERSION}`,
    plugins: [virtualEntry({ 'cli-entry': cliEntry(), 'oclif-entry': oclifSharedSource }), ...plugins],
  });
  for (const id of SELF_CONTAINED) {
    const file = join(DIST, ...commandFile(id));
    const { metafile } = await build({
      ...nodeEsmBundle,
      entryPoints: Object.fromEntries([entry(id)]),
      outdir: out,
      target: `node${NODE_VERSION}`,
      metafile: true,
      plugins: [await oclifFromShared(file, join(out, OCLIF_SHARED)), ...plugins],
    });
    // The path to the shared oclif is relative to the command's file: no chunk may import it.
    const importers = Object.entries(metafile.outputs).filter(([, o]) => o.imports.some((i) => i.path.endsWith(OCLIF_SHARED)));
    if (importers.some(([path]) => resolve(path) !== file)) throw new Error(`${id}: oclif is imported from a chunk, not from ${file}`);
  }
  const catalog = join(root, 'profiles/catalog');
  mkdirSync(catalogOut, { recursive: true });
  for (const f of readdirSync(catalog)) copyFileSync(join(catalog, f), join(catalogOut, f));
  await writeManifest(manifest);
  const files = [...walk(out), ...readdirSync(catalogOut).map((f) => join(catalogOut, f)), manifest];
  return { ids, files: Object.fromEntries(files.map((f) => [relative(DIST, f), f])) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await bundleCli();
