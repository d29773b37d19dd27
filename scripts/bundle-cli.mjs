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
//   bundle/cli.mjs        the entry: oclif's execute() with this package's pjson, root = cli/dist
//   bundle/commands.mjs   every command class by id (oclif's "explicit" command discovery)
//   bundle/chunk-*.mjs    shared and lazily imported code
//   catalog/*.json        the profile catalog: profiles' catalogDir() is ../catalog/ from its module
//   oclif.manifest.json   the commands' metadata, so that `--help` imports no command
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { build } from 'esbuild';
import { inlineHealthProto, jsonAsParse, nodeEsmBundle, noDevtools, noTypescript, oclifLazyRequires } from './esbuild-plugins.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(root, 'cli');
/** What the bundle takes as oclif's root: every file it reads at run time is under it. */
const DIST = join(CLI, 'dist');
const sea = JSON.parse(readFileSync(join(root, 'packaging/sea.json'), 'utf8'));

/** Command ids as oclif's pattern discovery finds them in cli/dist/commands (the dev manifest's). */
function commandIds() {
  const dir = join(DIST, 'commands');
  if (!existsSync(dir)) throw new Error('cli/dist/commands is missing: run `tsc -b` first');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js') && !f.endsWith('.test.js'))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** The two entries, generated: nothing to keep in step by hand when a command is added. */
function entries(ids) {
  const cliPjson = JSON.parse(readFileSync(join(CLI, 'package.json'), 'utf8'));
  const { scripts: _scripts, devDependencies: _dev, ...kept } = cliPjson;
  const pjson = { ...kept, oclif: { ...cliPjson.oclif, commands: { strategy: 'explicit', target: './bundle/commands.mjs', identifier: 'COMMANDS' } } };
  const cli = `import { execute } from '@oclif/core/execute';
import { fileURLToPath } from 'node:url';
await execute({
  loadOptions: { root: fileURLToPath(new URL('../', import.meta.url)), pjson: ${JSON.stringify(pjson)}, userPlugins: false, devPlugins: false },
});
`;
  const commands = `${ids.map((id, i) => `import C${i} from ${JSON.stringify(`./commands/${id}.js`)};`).join('\n')}
export const COMMANDS = { ${ids.map((id, i) => `${JSON.stringify(id)}: C${i}`).join(', ')} };
`;
  return { cli, commands };
}

/** Serves the generated entries as modules that resolve imports from cli/dist. */
function virtualEntries(sources) {
  return {
    name: 'cli-entries',
    setup(b) {
      b.onResolve({ filter: /^cli-entry:/ }, (args) => ({ path: args.path.slice('cli-entry:'.length), namespace: 'cli-entry' }));
      b.onLoad({ filter: /.*/, namespace: 'cli-entry' }, (args) => ({ contents: sources[args.path], loader: 'js', resolveDir: DIST }));
    },
  };
}

/**
 * oclif's manifest of cli/ as `oclif manifest` would write it (commands found by pattern in
 * cli/dist/commands): the metadata is the same whichever way the commands are discovered.
 */
async function writeManifest(file) {
  const { Plugin } = await import('@oclif/core');
  const plugin = new Plugin({ root: CLI, type: 'core', ignoreManifest: true, errorOnManifestCreate: true });
  await plugin.load();
  writeFileSync(file, JSON.stringify(plugin.manifest));
}

/** Writes the bundle and returns its files by their path relative to cli/dist (the names the executable unpacks them to). */
export async function bundleCli() {
  const out = join(DIST, 'bundle');
  const catalogOut = join(DIST, 'catalog');
  const manifest = join(DIST, 'oclif.manifest.json');
  for (const p of [out, catalogOut, manifest]) rmSync(p, { recursive: true, force: true });
  const ids = commandIds();
  await build({
    ...nodeEsmBundle,
    entryPoints: { cli: 'cli-entry:cli', commands: 'cli-entry:commands' },
    outdir: out,
    target: `node${sea.nodeVersion}`,
    plugins: [virtualEntries(entries(ids)), inlineHealthProto, noDevtools, noTypescript, oclifLazyRequires, jsonAsParse],
  });
  const catalog = join(root, 'profiles/catalog');
  mkdirSync(catalogOut, { recursive: true });
  for (const f of readdirSync(catalog)) copyFileSync(join(catalog, f), join(catalogOut, f));
  await writeManifest(manifest);
  const files = [...readdirSync(out).map((f) => join(out, f)), ...readdirSync(catalogOut).map((f) => join(catalogOut, f)), manifest];
  return { ids, files: Object.fromEntries(files.map((f) => [relative(DIST, f), f])) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await bundleCli();
