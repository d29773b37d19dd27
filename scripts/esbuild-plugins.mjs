// What every bundle the project makes shares (the agent's and the CLI's, made by the build): the
// esbuild options for Node ES modules, and plugins, each working around one dependency that
// assumes it runs from node_modules.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** esbuild options for minified Node ES modules split at every dynamic import, chunks beside the entry. */
export const nodeEsmBundle = {
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'chunk-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  // Prefer ESM builds: UMD ones (jsonc-parser's) require() their parts at run time, out of esbuild's sight.
  mainFields: ['module', 'main'],
  // ws's optional native speed-ups: it falls back to JS when they are absent.
  external: ['bufferutil', 'utf-8-validate'],
  // CommonJS dependencies inside an ESM bundle still call require() and read __dirname.
  banner: {
    js: "import { createRequire as __ksRequire } from 'node:module'; import { fileURLToPath as __ksPath } from 'node:url'; import { dirname as __ksDirname } from 'node:path'; const require = __ksRequire(import.meta.url); const __filename = __ksPath(import.meta.url); const __dirname = __ksDirname(__filename);",
  },
  logLevel: 'warning',
  legalComments: 'none',
  minify: true,
  keepNames: true,
};

// grpc-health-check reads health.proto from its package directory when it loads; a single file has
// no such directory, so the parsed definition is inlined and handed to proto-loader's fromJSON.
export const inlineHealthProto = {
  name: 'inline-health-proto',
  setup(b) {
    b.onLoad({ filter: /[\\/]grpc-health-check[\\/]build[\\/]src[\\/]health\.js$/ }, async (args) => {
      const protobuf = (await import('protobufjs')).default;
      const json = protobuf.loadSync(join(dirname(args.path), '../../proto/health/v1/health.proto')).toJSON();
      const text = readFileSync(args.path, 'utf8');
      const call = "(0, proto_loader_1.loadSync)('health/v1/health.proto', {";
      if (!text.includes(call)) throw new Error(`${args.path}: health.proto is loaded differently now; update scripts/package.mjs`);
      return { contents: text.replace(call, `(0, proto_loader_1.fromJSON)(${JSON.stringify(json)}, {`), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

// ink imports react-devtools-core only when DEV=true; an ESM bundle links every static import up
// front, so it gets an empty stand-in rather than a dangling external.
export const noDevtools = {
  name: 'no-devtools',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default { connectToDevTools() {} };', loader: 'js' }));
  },
};

// oclif require()s typescript (10 MB) only to read a tsconfig when it runs commands from TypeScript
// sources in development; bundled, that require() would put typescript's whole source into the start
// path, parsed on every start. Left external, it resolves as it would without a bundle (or fails,
// which oclif takes as "use the compiled commands").
export const noTypescript = {
  name: 'no-typescript',
  setup(b) {
    b.onResolve({ filter: /^typescript$/ }, () => ({ path: 'typescript', external: true }));
  },
};

// oclif requires every part of itself when it loads, including modules a bundled CLI never runs on
// an ordinary start: tinyglobby (command discovery by file pattern; the bundle lists its commands),
// minimatch (matching devPlugins) and cli-spinners (spinner frames). Required on first use instead,
// they cost nothing until then (about 5% of `--help`).
const LAZY_REQUIRES = [
  {
    file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/,
    eager: 'const tinyglobby_1 = require("tinyglobby");',
    lazy: 'const tinyglobby_1 = { get glob() { return require("tinyglobby").glob; } };',
  },
  {
    file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin-loader\.js$/,
    eager: 'const minimatch_1 = require("minimatch");',
    lazy: 'const minimatch_1 = { get minimatch() { return require("minimatch").minimatch; } };',
  },
  {
    file: /[\\/]@oclif[\\/]core[\\/]lib[\\/]ux[\\/]action[\\/]spinner\.js$/,
    eager: 'const cli_spinners_1 = __importDefault(require("cli-spinners"));',
    lazy: 'const cli_spinners_1 = { get default() { return require("cli-spinners"); } };',
  },
];

export const oclifLazyRequires = {
  name: 'oclif-lazy-requires',
  setup(b) {
    for (const { file, eager, lazy } of LAZY_REQUIRES) {
      b.onLoad({ filter: file }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes(eager)) throw new Error(`${args.path}: no longer has \`${eager}\`; update oclifLazyRequires in scripts/esbuild-plugins.mjs`);
        return { contents: text.replace(eager, lazy), loader: 'js', resolveDir: dirname(args.path) };
      });
    }
  },
};

// Large JSON data (the syscall tables) as JSON.parse of a string rather than an object literal:
// V8 scans a string literal and parses JSON far faster than it compiles and runs a literal of the
// same size (v8.dev/blog/cost-of-javascript-2019#json), which the CLI's start pays on `lint`.
export const jsonAsParse = {
  name: 'json-as-parse',
  setup(b) {
    b.onLoad({ filter: /[\\/]profiles[\\/]data[\\/]syscalls[\\/][^\\/]+\.json$/ }, (args) => {
      const text = JSON.stringify(JSON.parse(readFileSync(args.path, 'utf8')));
      return { contents: `export default JSON.parse(${JSON.stringify(text)});`, loader: 'js' };
    });
  },
};
